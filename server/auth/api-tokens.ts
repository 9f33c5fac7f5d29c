import crypto from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { TokenInfo } from '../contracts/users-api';
import type { Db } from '../db/client';
import { apiTokens, users } from '../db/schema';
import { notFound } from '../errors';
import { sessionEvents } from './session-events';
import { hashToken, type RequestAuth } from './sessions';

export const TOKEN_PREFIX = 'kxt_';
const TOKEN_SHAPE = /^kxt_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

/** A CLI token for a user: returned this once, only its SHA-256 is kept. */
export function createApiToken(db: Db, userId: number, name: string, now = Date.now()): { token: string; info: TokenInfo } {
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  const row = db.insert(apiTokens).values({ userId, name, tokenHash: hashToken(token), createdAt: now }).returning().get();
  return { token, info: { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: null } };
}

export function listApiTokens(db: Db, userId: number): TokenInfo[] {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id))
    .all();
}

/** Only the owner's tokens: another user's token id is "not found", the same answer as a made-up one. */
export function revokeApiToken(db: Db, userId: number, tokenId: number): string {
  const row = db.delete(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId))).returning().get();
  if (!row) throw notFound(`token #${tokenId}`);
  sessionEvents.emit('revoked', row.tokenHash);
  return row.name;
}

/** The user a bearer token acts as, or null (unknown, revoked, or the user is disabled). */
export function validateApiToken(db: Db, token: string | undefined, now = Date.now()): RequestAuth | null {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = db
    .select({ t: apiTokens, u: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .get();
  if (!row || row.u.disabledAt !== null) return null;
  if (now - (row.t.lastUsedAt ?? 0) >= TOUCH_EVERY_MS) db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.t.id)).run();
  return {
    // a token is for scripts: the password-change gate applies to interactive sessions only
    user: { id: row.u.id, username: row.u.username, role: row.u.role, mustChangePassword: false },
    session: { tokenHash, userId: row.u.id, createdAt: row.t.createdAt, lastSeenAt: now, expiresAt: Number.MAX_SAFE_INTEGER, token: { id: row.t.id, name: row.t.name } },
  };
}

/** Whether a token (by hash) still exists and its user is enabled, for live sockets. */
export function apiTokenAlive(db: Db, tokenHash: string): boolean {
  const row = db.select({ disabledAt: users.disabledAt }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.tokenHash, tokenHash)).get();
  return Boolean(row) && row?.disabledAt === null;
}
