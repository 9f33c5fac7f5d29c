import type { Socket } from 'socket.io';

export type SlowClientLimits = { maxPackets: number; maxBytes: number };
export const SLOW_CLIENT: SlowClientLimits = { maxPackets: 1000, maxBytes: 8 * 1024 * 1024 };

type Packet = { data?: unknown };

/** Packets (and their bytes) engine.io holds for a socket because its transport is not writable: a client that does not read. */
export function backlog(socket: Socket): { packets: number; bytes: number } {
  const buffer = (socket.conn as unknown as { writeBuffer?: Packet[] }).writeBuffer ?? [];
  let bytes = 0;
  for (const p of buffer) bytes += typeof p.data === 'string' ? p.data.length : Buffer.isBuffer(p.data) ? p.data.length : 0;
  return { packets: buffer.length, bytes };
}

/**
 * Drops the connection (discarding its buffer) of a socket that is too far behind, so a slow client is never waited for.
 * Closing the transport, not socket.disconnect(): the client reconnects by itself and watches again with its last seq.
 */
export function dropIfSlow(socket: Socket, limits: SlowClientLimits): boolean {
  const b = backlog(socket);
  if (b.packets <= limits.maxPackets && b.bytes <= limits.maxBytes) return false;
  console.warn(`realtime: dropping slow client ${socket.id} (${b.packets} packets, ${b.bytes} bytes not sent)`);
  socket.conn.close(true);
  return true;
}
