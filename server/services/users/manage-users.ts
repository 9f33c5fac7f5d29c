import crypto from 'node:crypto';
import { and, asc, count, eq, isNull, max, ne } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { hashPassword } from '../../auth/password';
import { endAllSessions } from '../../auth/session-list';
import { sessionEvents } from '../../auth/session-events';
import type { Role } from '../../contracts/access';
import type { UserInfo } from '../../contracts/users-api';
import type { Db } from '../../db/client';
import { apiTokens, auditLog, sessions, users } from '../../db/schema';
import type { Actor } from '../clusters/deps';
import { notFound, ServiceError } from '../../errors';

export type Admin = Actor & { userId: number };

/** A one-time password an admin hands over; the user must replace it at the first login. */
const oneTimePassword = () => crypto.randomBytes(15).toString('base64url');

/** Last seen: the latest of a session's activity, a CLI token's use and a login in the audit log. */
export function listUsers(db: Db): UserInfo[] {
  const counts = new Map(db.select({ userId: sessions.userId, n: count(), seen: max(sessions.lastSeenAt) }).from(sessions).groupBy(sessions.userId).all().map((r) => [r.userId, r]));
  const tokenUse = new Map(db.select({ userId: apiTokens.userId, used: max(apiTokens.lastUsedAt) }).from(apiTokens).groupBy(apiTokens.userId).all().map((r) => [r.userId, r.used]));
  const logins = new Map(db.select({ actor: auditLog.actor, at: max(auditLog.at) }).from(auditLog).where(eq(auditLog.action, 'auth.login')).groupBy(auditLog.actor).all().map((r) => [r.actor, r.at]));
  return db
    .select()
    .from(users)
    .orderBy(asc(users.username))
    .all()
    .map((u) => {
      // a login of an earlier user of the same name (deleted since) is not this user's
      const login = logins.get(u.username) ?? 0;
      const seen = Math.max(counts.get(u.id)?.seen ?? 0, tokenUse.get(u.id) ?? 0, login >= u.createdAt ? login : 0);
      return {
        id: u.id,
        username: u.username,
        role: u.role,
        disabled: u.disabledAt !== null,
        mustChangePassword: u.mustChangePassword,
        sso: u.oidcSubject !== null,
        createdAt: u.createdAt,
        lastSeenAt: seen > 0 ? seen : null,
        sessions: counts.get(u.id)?.n ?? 0,
      };
    });
}

export function getUser(db: Db, userId: number) {
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) throw notFound(`user #${userId}`);
  return user;
}

/** Refuses a change that would leave no enabled admin: nobody could manage users any more. */
function keepAnAdmin(db: Db, userId: number): void {
  const others = db.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, userId))).get()?.n ?? 0;
  if (others === 0) throw new ServiceError('CONFLICT', 'this is the last enabled admin; make another user admin first');
}

export async function createUser(db: Db, input: { username: string; role: Role }, by: Admin): Promise<{ user: UserInfo; password: string }> {
  if (db.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get()) {
    throw new ServiceError('CONFLICT', `a user named "${input.username}" already exists`, [{ path: 'username', message: 'taken' }]);
  }
  const password = oneTimePassword();
  const row = db.insert(users).values({ username: input.username, role: input.role, passwordHash: await hashPassword(password), mustChangePassword: true }).returning().get();
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'user.created', target: row.username, detail: { userId: row.id, role: row.role } });
  return { user: listUsers(db).find((u) => u.id === row.id)!, password };
}

/** Role change or disable/enable. Disabling ends the user's sessions, tokens' use and live sockets at once. */
export function updateUser(db: Db, input: { userId: number; role?: Role | undefined; disabled?: boolean | undefined }, by: Admin): UserInfo {
  const user = getUser(db, input.userId);
  const demoted = input.role !== undefined && input.role !== 'admin' && user.role === 'admin';
  if (input.userId === by.userId && (demoted || input.disabled === true)) throw new ServiceError('CONFLICT', 'you cannot demote or disable yourself; ask another admin');
  if ((demoted || input.disabled === true) && user.role === 'admin') keepAnAdmin(db, user.id);
  const set: Partial<typeof users.$inferInsert> = { updatedAt: Date.now() };
  if (input.role !== undefined) set.role = input.role;
  if (input.disabled !== undefined) set.disabledAt = input.disabled ? (user.disabledAt ?? Date.now()) : null;
  db.update(users).set(set).where(eq(users.id, user.id)).run();
  const ended = input.disabled === true ? endAllSessions(db, user.id) : 0;
  sessionEvents.emit('userChanged', user.id);
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'user.updated', target: user.username, detail: { userId: user.id, role: input.role ?? null, disabled: input.disabled ?? null, sessionsEnded: ended } });
  return listUsers(db).find((u) => u.id === user.id)!;
}

export async function resetPassword(db: Db, userId: number, by: Admin): Promise<{ password: string }> {
  const user = getUser(db, userId);
  if (user.oidcSubject !== null) throw new ServiceError('BAD_REQUEST', `${user.username} signs in with single sign-on and has no password`);
  const password = oneTimePassword();
  db.update(users).set({ passwordHash: await hashPassword(password), mustChangePassword: true, updatedAt: Date.now() }).where(eq(users.id, user.id)).run();
  const ended = endAllSessions(db, user.id);
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'user.password_reset', target: user.username, detail: { userId: user.id, sessionsEnded: ended } });
  return { password };
}

export function deleteUser(db: Db, userId: number, by: Admin): void {
  const user = getUser(db, userId);
  if (userId === by.userId) throw new ServiceError('CONFLICT', 'you cannot delete yourself; ask another admin');
  if (user.role === 'admin') keepAnAdmin(db, user.id);
  endAllSessions(db, user.id);
  db.delete(users).where(eq(users.id, user.id)).run();
  sessionEvents.emit('userChanged', user.id);
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'user.deleted', target: user.username, detail: { userId: user.id } });
}
