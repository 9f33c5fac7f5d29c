import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { allows, socketEventRule } from '../contracts/access';
import type { Db } from '../db/client';
import { isAllowedSocketOrigin } from './origin';
import { sessionEvents } from './session-events';
import { apiTokenAlive } from './api-tokens';
import { authenticate } from './request-auth';
import { sessionAlive, type RequestAuth } from './sessions';

type Deps = { db: Db; env: { KUBEXMS_PUBLIC_ORIGIN?: string | undefined } };
const RECHECK_MS = 60_000;

/** engine.io allowRequest: the handshake needs an allowed Origin and a valid session, or it is answered 403. */
export function socketAllowRequest(deps: Deps) {
  return (req: IncomingMessage, done: (err: string | null | undefined, success: boolean) => void): void => {
    if (!isAllowedSocketOrigin(req.headers, deps.env.KUBEXMS_PUBLIC_ORIGIN)) return done('origin not allowed', false);
    if (!authenticate(deps.db, req)) return done('login required', false);
    done(null, true);
  };
}

/** The session and user a socket connected with (set by attachSocketAuth). */
export function socketAuth(socket: Socket): RequestAuth | null {
  return (socket.data as { auth?: RequestAuth }).auth ?? null;
}

/**
 * Attaches the user to each socket, checks each client event against SOCKET_EVENT_RULES, and drops sockets whose session
 * ended or whose user changed (logout, revoke, disable, role change at once; expiry within a minute).
 */
export function attachSocketAuth(io: Server, deps: Deps): void {
  io.use((socket, next) => {
    const auth = authenticate(deps.db, socket.request);
    if (!auth) return next(new Error('unauthorized'));
    if (auth.user.mustChangePassword) return next(new Error('change your password first'));
    (socket.data as { auth?: RequestAuth }).auth = auth;
    socket.use(([event, ...args], nextPacket) => {
      const rule = socketEventRule(event);
      if (rule !== undefined && allows(auth.user.role, rule)) return nextPacket();
      const ack = args[args.length - 1];
      const error = rule === undefined ? `no authorization rule for ${event}` : `${event} needs the ${rule} role`;
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: false, mode: 'error', error });
    });
    next();
  });
  const drop = (ended: (auth: RequestAuth) => boolean) => {
    for (const socket of io.of('/').sockets.values()) {
      const auth = socketAuth(socket);
      if (!auth || ended(auth)) socket.disconnect(true);
    }
  };
  const onRevoked = (tokenHash: string) => drop((a) => a.session.tokenHash === tokenHash);
  const onUserChanged = (userId: number) => drop((a) => a.user.id === userId);
  sessionEvents.on('revoked', onRevoked);
  sessionEvents.on('userChanged', onUserChanged);
  const timer = setInterval(() => drop((a) => !sessionAlive(deps.db, a.session.tokenHash) && !apiTokenAlive(deps.db, a.session.tokenHash)), RECHECK_MS);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    sessionEvents.off('revoked', onRevoked);
    sessionEvents.off('userChanged', onUserChanged);
  };
  io.engine.on('close', stop);
  io.httpServer?.on('close', stop);
}
