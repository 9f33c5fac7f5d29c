import fs from 'node:fs';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sessions, users } from '../db/schema';
import { sessionEvents } from './session-events';
import { createSession, deleteSession, SESSION_TTL_MS } from './sessions';

export const CLI_USER_AGENT = 'kubexms-cli (local token)';

/**
 * A real session of the first enabled admin whose token is written to `file` (0600) for the local CLI, which sends it
 * as the session cookie: the gate, CSRF and socket checks stay the ones browsers get. Whoever can read the data dir
 * can read the DB and its key anyway, so the file grants nothing more. Kept fresh while the server runs, issued again
 * if revoked (password change), deleted with the file at stop.
 */
export function issueCliSession(db: Db, file: string, refreshMs = 5 * 60_000): { stop: () => void } {
  let current: string | null = null;
  const issue = () => {
    const admin = db.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt))).orderBy(asc(users.id)).limit(1).get();
    if (!admin) return;
    const { token, session } = createSession(db, admin.id, { userAgent: CLI_USER_AGENT });
    current = session.tokenHash;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  };
  const refresh = () => {
    const now = Date.now();
    const kept = current ? db.update(sessions).set({ lastSeenAt: now, expiresAt: now + SESSION_TTL_MS }).where(eq(sessions.tokenHash, current)).run().changes : 0;
    if (kept === 0) issue();
  };
  const onRevoked = (tokenHash: string) => {
    if (tokenHash === current) setImmediate(issue);
  };
  sessionEvents.on('revoked', onRevoked);
  issue();
  const timer = setInterval(refresh, refreshMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sessionEvents.off('revoked', onRevoked);
      fs.rmSync(file, { force: true });
      if (current) deleteSession(db, current);
      current = null;
    },
  };
}
