import type { RunEventBatch, RunsChanged, RunWatchResult } from './run-socket';

export type ServerHello = { version: string; serverTime: number };

export type ServerToClientEvents = {
  'server:hello': (hello: ServerHello) => void;
  'server:clock': (tick: { serverTime: number }) => void;
  'run:events': (batch: RunEventBatch) => void;
  'runs:changed': (change: RunsChanged) => void;
};

/** Payloads are validated on the server with the zod schemas of run-socket.ts (RunWatchRequest, RunUnwatchRequest). */
export type ClientToServerEvents = {
  'clock:watch': (ack: (ok: boolean) => void) => void;
  'run:watch': (request: { runId: number; afterSeq?: number }, ack: (result: RunWatchResult) => void) => void;
  'run:unwatch': (request: { runId: number }, ack?: (ok: boolean) => void) => void;
};
