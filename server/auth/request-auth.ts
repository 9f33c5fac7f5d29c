import type { IncomingMessage } from 'node:http';
import type { Db } from '../db/client';
import { readCookie, SESSION_COOKIE } from './cookie';
import { validateSession, type RequestAuth } from './sessions';

const cache = new WeakMap<IncomingMessage, RequestAuth | null>();

/** The session of a request, looked up once per request (the HTTP gate and the tRPC context share it). */
export function requestAuth(db: Db, req: IncomingMessage): RequestAuth | null {
  if (cache.has(req)) return cache.get(req) ?? null;
  const auth = validateSession(db, readCookie(req, SESSION_COOKIE));
  cache.set(req, auth);
  return auth;
}

export function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
