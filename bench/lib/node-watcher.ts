import { io } from 'socket.io-client';
import type { RunEventBatch } from '../../server/contracts/run-socket';

/** A bare socket.io client in the bench process: event → arrival here, i.e. the server's share of the latency. */
export function watchLatency(url: string, cookie: string, runId: number): { latencies: number[]; close(): void } {
  const latencies: number[] = [];
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie, origin: url } });
  socket.on('connect', () => socket.emit('run:watch', { runId }, () => {}));
  socket.on('run:events', (batch: RunEventBatch) => {
    const now = Date.now();
    for (const e of batch.events) if (e.type === 'step.status') latencies.push(now - e.ts);
  });
  return { latencies, close: () => socket.close() };
}
