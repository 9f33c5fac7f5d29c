import { EventEmitter } from 'node:events';

/** In-process notice that a session ended (logout), so live sockets of that session are dropped at once. */
export const sessionEvents = new EventEmitter<{ revoked: [tokenHash: string] }>();
sessionEvents.setMaxListeners(0);
