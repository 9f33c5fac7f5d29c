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
  constructor(readonly retryAfter: number) {
    super('TOO_MANY_REQUESTS', `too many failed logins from this address; try again in ${retryAfter} s`);
  }
}

type Client = { address: string; userAgent?: string | undefined };

export async function login(deps: { db: Db; loginLimiter: LoginLimiter }, input: { username: string; password: string }, client: Client): Promise<{ token: string; session: AuthSession; user: AuthUser }> {
  const { db, loginLimiter } = deps;
  const wait = loginLimiter.retryAfter(client.address);
  if (wait > 0) throw new LoginThrottledError(wait);
  // Counted before the slow check, so parallel guesses cannot all slip in under the limit.
  loginLimiter.fail(client.address);
  const user = db.select().from(users).where(eq(users.username, input.username)).get();
  const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    audit(db, { actor: input.username, action: 'auth.login_failed', address: client.address, detail: { reason: user ? 'password' : 'unknown user' } });
    throw new ServiceError('UNAUTHORIZED', 'wrong username or password');
  }
  loginLimiter.succeed(client.address);
  purgeExpiredSessions(db);
  const { token, session } = createSession(db, user.id, client);
  audit(db, { actor: user.username, action: 'auth.login', address: client.address });
  return { token, session, user: { id: user.id, username: user.username } };
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
  db.update(users).set({ passwordHash: await hashPassword(input.next), updatedAt: Date.now() }).where(eq(users.id, user.id)).run();
  deleteOtherSessions(db, user.id, auth.session.tokenHash);
  audit(db, { actor: user.username, action: 'auth.password_changed', address: client.address });
}
