import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { Db } from '../db/client';
import { readCookie, SESSION_COOKIE } from './cookie';
import { isAllowedSocketOrigin } from './origin';
import { sessionEvents } from './session-events';
import { sessionAlive, validateSession, type RequestAuth } from './sessions';

type Deps = { db: Db; env: { KUBEXMS_PUBLIC_ORIGIN?: string | undefined } };
const RECHECK_MS = 60_000;

/** engine.io allowRequest: the handshake needs an allowed Origin and a valid session, or it is answered 403. */
export function socketAllowRequest(deps: Deps) {
  return (req: IncomingMessage, done: (err: string | null | undefined, success: boolean) => void): void => {
    if (!isAllowedSocketOrigin(req.headers, deps.env.KUBEXMS_PUBLIC_ORIGIN)) return done('origin not allowed', false);
    if (!validateSession(deps.db, readCookie(req, SESSION_COOKIE))) return done('login required', false);
    done(null, true);
  };
}

/** The session and user a socket connected with (set by attachSocketAuth). */
export function socketAuth(socket: Socket): RequestAuth | null {
  return (socket.data as { auth?: RequestAuth }).auth ?? null;
}

/** Attaches the user to each socket and drops sockets whose session ended (logout at once, expiry within a minute). */
export function attachSocketAuth(io: Server, deps: Deps): void {
  io.use((socket, next) => {
    const auth = validateSession(deps.db, readCookie(socket.request, SESSION_COOKIE));
    if (!auth) return next(new Error('unauthorized'));
    (socket.data as { auth?: RequestAuth }).auth = auth;
    next();
  });
  const drop = (ended: (auth: RequestAuth) => boolean) => {
    for (const socket of io.of('/').sockets.values()) {
      const auth = socketAuth(socket);
      if (!auth || ended(auth)) socket.disconnect(true);
    }
  };
  const onRevoked = (tokenHash: string) => drop((a) => a.session.tokenHash === tokenHash);
  sessionEvents.on('revoked', onRevoked);
  const timer = setInterval(() => drop((a) => !sessionAlive(deps.db, a.session.tokenHash)), RECHECK_MS);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    sessionEvents.off('revoked', onRevoked);
  };
  io.engine.on('close', stop);
  io.httpServer?.on('close', stop);
}
