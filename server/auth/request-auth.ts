import type { IncomingMessage } from 'node:http';
import type { Db } from '../db/client';
import { validateApiToken } from './api-tokens';
import { readCookie, SESSION_COOKIE } from './cookie';
import { validateSession, type RequestAuth } from './sessions';

const cache = new WeakMap<IncomingMessage, RequestAuth | null>();

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** Who sent a request: a CLI token (Authorization: Bearer) or the session cookie. */
export function authenticate(db: Db, req: IncomingMessage): RequestAuth | null {
  const token = bearer(req);
  if (token !== undefined) return validateApiToken(db, token);
  return validateSession(db, readCookie(req, SESSION_COOKIE));
}

/** The session of a request, looked up once per request (the HTTP gate and the tRPC context share it). */
export function requestAuth(db: Db, req: IncomingMessage): RequestAuth | null {
  if (cache.has(req)) return cache.get(req) ?? null;
  const auth = authenticate(db, req);
  cache.set(req, auth);
  return auth;
}

export function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
