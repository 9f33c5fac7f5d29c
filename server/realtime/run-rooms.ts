import { z } from 'zod';
import type { RunEvent } from '../contracts/run-events';
import { RunUnwatchRequest, RunWatchRequest, type RunWatchResult } from '../contracts/run-socket';
import type { Db } from '../db/client';
import type { RunBus } from '../runner/bus';
import { readRunInfoRow, toRunInfo } from '../db/runs';
import { ServiceError } from '../errors';
import { watchRun } from '../services/runs/watch-run';
import { dropIfSlow, SLOW_CLIENT, type SlowClientLimits } from './backlog';
import type { RealtimeServer } from './server';

export const runRoom = (runId: number) => `run:${runId}`;

export type RunRoomsOptions = { slowClient?: SlowClientLimits };

/** run:watch / run:unwatch handlers, and the bus → rooms fan-out (run:events per room, runs:changed to everyone). */
export function attachRunRooms(io: RealtimeServer, deps: { db: Db; bus: RunBus }, options: RunRoomsOptions = {}): () => void {
  const limits = options.slowClient ?? SLOW_CLIENT;

  io.on('connection', (socket) => {
    socket.on('run:watch', (raw, ack) => {
      if (typeof ack !== 'function') return;
      const req = RunWatchRequest.safeParse(raw);
      if (!req.success) return ack({ ok: false, mode: 'error', error: `invalid run:watch: ${z.prettifyError(req.error)}` });
      const room = runRoom(req.data.runId);
      // Join before reading: an event committed after the read reaches this socket through the room.
      void socket.join(room);
      let result: RunWatchResult;
      try {
        result = watchRun(deps.db, req.data.runId, req.data.afterSeq);
      } catch (err) {
        void socket.leave(room);
        result = { ok: false, mode: 'error', error: err instanceof ServiceError ? err.message : 'internal error' };
        if (!(err instanceof ServiceError)) console.error('run:watch failed', err);
      }
      ack(result);
    });
    socket.on('run:unwatch', (raw, ack) => {
      const req = RunUnwatchRequest.safeParse(raw);
      if (req.success) void socket.leave(runRoom(req.data.runId));
      if (typeof ack === 'function') ack(req.success);
    });
  });

  const fanOut = (room: string | null) => {
    const ids = room === null ? io.sockets.sockets.keys() : (io.sockets.adapter.rooms.get(room) ?? new Set<string>());
    for (const id of [...ids]) {
      const s = io.sockets.sockets.get(id);
      if (s) dropIfSlow(s, limits);
    }
  };

  return deps.bus.subscribe({
    events(runId: number, events: readonly RunEvent[]) {
      const room = runRoom(runId);
      if (!io.sockets.adapter.rooms.has(room)) return;
      fanOut(room);
      io.to(room).emit('run:events', { runId, events: [...events] });
    },
    changed(runId: number) {
      if (io.sockets.sockets.size === 0) return;
      const row = readRunInfoRow(deps.db, runId);
      if (!row) return;
      fanOut(null);
      const run = toRunInfo(row);
      // lists need the totals only: per-host counters and task statuses would be kilobytes per message for every socket
      io.emit('runs:changed', { run: { ...run, summary: { ...run.summary, hosts: {}, nodes: {} } } });
    },
  });
}
