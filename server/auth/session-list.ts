import crypto from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { SessionInfo } from '../contracts/users-api';
import type { Db } from '../db/client';
import { sessions } from '../db/schema';
import { notFound } from '../errors';
import { deleteSession } from './sessions';

/** The id a session is shown and revoked by: derived from the stored hash, so it can be neither replayed nor reversed. */
export const publicSessionId = (tokenHash: string) => crypto.createHash('sha256').update(`session-id:${tokenHash}`).digest('hex').slice(0, 24);

export function listSessions(db: Db, userId: number, currentTokenHash: string | null): SessionInfo[] {
  return db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all()
    .map((s) => ({
      id: publicSessionId(s.tokenHash),
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      address: s.address,
      userAgent: s.userAgent,
      current: s.tokenHash === currentTokenHash,
    }));
}

/** Ends one session of this user; the id of anyone else's session is "not found", like a made-up one. */
export function revokeSessionOf(db: Db, userId: number, sessionId: string): void {
  const row = db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId)).all().find((s) => publicSessionId(s.h) === sessionId);
  if (!row) throw notFound('session');
  deleteSession(db, row.h);
}

/** Ends every session of a user (sign out everywhere, disable, password reset); returns how many. */
export function endAllSessions(db: Db, userId: number): number {
  const rows = db.select({ h: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId)).all();
  for (const { h } of rows) deleteSession(db, h);
  return rows.length;
}
