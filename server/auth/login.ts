import { eq } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { ServiceError } from '../errors';
import { MIN_PASSWORD_LENGTH } from './bootstrap';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import type { LoginLimiter } from './rate-limit';
import { createSession, deleteOtherSessions, deleteSession, purgeExpiredSessions, type AuthSession, type AuthUser, type RequestAuth } from './sessions';

export class LoginThrottledError extends ServiceError {
  constructor(readonly retryAfter: number, by: 'address' | 'user') {
    super('TOO_MANY_REQUESTS', `too many failed logins ${by === 'user' ? 'for this user' : 'from this address'}; try again in ${retryAfter} s`);
  }
}

type Client = { address: string; userAgent?: string | undefined };

const addressKey = (address: string) => `address:${address}`;
const userKey = (username: string) => `user:${username.toLowerCase()}`;

/** Both limits hold: guesses from one address at many users, and guesses at one user from many addresses. */
function throttle(limiter: LoginLimiter, username: string, address: string): void {
  const byAddress = limiter.retryAfter(addressKey(address));
  if (byAddress > 0) throw new LoginThrottledError(byAddress, 'address');
  const byUser = limiter.retryAfter(userKey(username));
  if (byUser > 0) throw new LoginThrottledError(byUser, 'user');
  // Counted before the slow check, so parallel guesses cannot all slip in under the limit.
  limiter.fail(addressKey(address));
  limiter.fail(userKey(username));
}

export async function login(deps: { db: Db; loginLimiter: LoginLimiter }, input: { username: string; password: string }, client: Client): Promise<{ token: string; session: AuthSession; user: AuthUser }> {
  const { db, loginLimiter } = deps;
  throttle(loginLimiter, input.username, client.address);
  const user = db.select().from(users).where(eq(users.username, input.username)).get();
  const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    audit(db, { actor: input.username, action: 'auth.login_failed', address: client.address, detail: { reason: user ? 'password' : 'unknown user' } });
    throw new ServiceError('UNAUTHORIZED', 'wrong username or password');
  }
  loginLimiter.succeed(addressKey(client.address));
  loginLimiter.succeed(userKey(input.username));
  if (user.disabledAt !== null) {
    audit(db, { actor: user.username, action: 'auth.login_failed', address: client.address, detail: { reason: 'disabled' } });
    throw new ServiceError('FORBIDDEN', 'this account is disabled; ask an admin');
  }
  return startSession(db, user, client);
}

/** A new session for a user who proved who they are (password or single sign-on), audited. */
export function startSession(db: Db, user: typeof users.$inferSelect, client: Client, via: 'password' | 'oidc' = 'password'): { token: string; session: AuthSession; user: AuthUser } {
  purgeExpiredSessions(db);
  const { token, session } = createSession(db, user.id, client);
  audit(db, { actor: user.username, action: 'auth.login', address: client.address, ...(via === 'oidc' ? { detail: { via } } : {}) });
  return { token, session, user: { id: user.id, username: user.username, role: user.role, mustChangePassword: user.mustChangePassword } };
}

export function logout(db: Db, auth: RequestAuth, client: Client): void {
  deleteSession(db, auth.session.tokenHash);
  audit(db, { actor: auth.user.username, action: 'auth.logout', address: client.address });
}

export async function changePassword(db: Db, auth: RequestAuth, input: { current: string; next: string }, client: Client): Promise<void> {
  const user = db.select().from(users).where(eq(users.id, auth.user.id)).get();
  if (!user || !(await verifyPassword(input.current, user.passwordHash))) {
    throw new ServiceError('BAD_REQUEST', 'the current password is wrong', [{ path: 'current', message: 'wrong password' }]);
  }
  if (input.next.length < MIN_PASSWORD_LENGTH) {
    throw new ServiceError('BAD_REQUEST', 'password too short', [{ path: 'next', message: `at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
  if (input.next === input.current) {
    throw new ServiceError('BAD_REQUEST', 'the new password is the current one', [{ path: 'next', message: 'choose a different password' }]);
  }
  db.update(users).set({ passwordHash: await hashPassword(input.next), mustChangePassword: false, updatedAt: Date.now() }).where(eq(users.id, user.id)).run();
  deleteOtherSessions(db, user.id, auth.session.tokenHash);
  audit(db, { actor: user.username, action: 'auth.password_changed', address: client.address });
}
