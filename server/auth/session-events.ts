import { EventEmitter } from 'node:events';

/** In-process notice that a session ended or a user was disabled or changed role, so their live sockets are dropped at once. */
export const sessionEvents = new EventEmitter<{ revoked: [tokenHash: string]; userChanged: [userId: number] }>();
sessionEvents.setMaxListeners(0);
