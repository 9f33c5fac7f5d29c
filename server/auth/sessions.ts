import crypto from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Role } from '../contracts/access';
import type { Db } from '../db/client';
import { sessions, users } from '../db/schema';
import { sessionEvents } from './session-events';

export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export type AuthUser = { id: number; username: string; role: Role; mustChangePassword: boolean };
/** `token`: set when the request came with a CLI token (Authorization: Bearer), so the audit log can name it. */
export type AuthSession = { tokenHash: string; userId: number; createdAt: number; lastSeenAt: number; expiresAt: number; token?: { id: number; name: string } };
export type RequestAuth = { user: AuthUser; session: AuthSession };

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Returns the cookie token (32 random bytes); only its SHA-256 is stored. */
export function createSession(db: Db, userId: number, meta: { address?: string | undefined; userAgent?: string | undefined }, now = Date.now()): { token: string; session: AuthSession } {
  const token = crypto.randomBytes(32).toString('base64url');
  const session: AuthSession = { tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_TTL_MS };
  db.insert(sessions).values({ ...session, address: meta.address ?? null, userAgent: meta.userAgent?.slice(0, 256) ?? null }).run();
  return { token, session };
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The session and user of a token, or null when unknown, expired or idle too long (then it is deleted). Refreshes last-seen at most once a minute. */
export function validateSession(db: Db, token: string | undefined, now = Date.now()): RequestAuth | null {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = db
    .select({ s: sessions, username: users.username, role: users.role, mustChangePassword: users.mustChangePassword, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .get();
  if (!row) return null;
  const { s } = row;
  if (now >= s.expiresAt || now - s.lastSeenAt >= SESSION_IDLE_MS || row.disabledAt !== null) {
    deleteSession(db, tokenHash);
    return null;
  }
  if (now - s.lastSeenAt >= TOUCH_EVERY_MS) db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash)).run();
  return {
    user: { id: s.userId, username: row.username, role: row.role, mustChangePassword: row.mustChangePassword },
    session: { tokenHash, userId: s.userId, createdAt: s.createdAt, lastSeenAt: now, expiresAt: s.expiresAt },
  };
}

export function deleteSession(db: Db, tokenHash: string): void {
  db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
  sessionEvents.emit('revoked', tokenHash);
}

/** Ends every session of a user but one (after a password change). */
export function deleteOtherSessions(db: Db, userId: number, keepTokenHash: string): void {
  const gone = db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId)).all().filter((r) => r.h !== keepTokenHash);
  for (const { h } of gone) deleteSession(db, h);
}

export function purgeExpiredSessions(db: Db, now = Date.now()): number {
  const expired = db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
  const idle = db.delete(sessions).where(lt(sessions.lastSeenAt, now - SESSION_IDLE_MS)).run().changes;
  return expired + idle;
}

/** Whether a session still holds (for live sockets); reads only, so an open socket alone does not keep a session alive. */
export function sessionAlive(db: Db, tokenHash: string, now = Date.now()): boolean {
  const s = db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).get();
  return Boolean(s) && now < (s?.expiresAt ?? 0) && now - (s?.lastSeenAt ?? 0) < SESSION_IDLE_MS;
}
