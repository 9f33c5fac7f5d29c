import { io, type Socket } from 'socket.io-client';
import type { RunEvent } from '../../contracts/run-events';
import { RunSeqCursor, type RunWatchResult } from '../../contracts/run-socket';
import type { RunSnapshot } from '../../contracts/run-types';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/socket';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
export const isTerminalEvent = (e: RunEvent) => e.type === 'run.status' && TERMINAL.has(e.status);

/** A socket.io client that watches one run the way the dashboard should: cursor, re-watch with afterSeq on every reconnect. */
export class WatchClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly cursor = new RunSeqCursor();
  readonly events: RunEvent[] = [];
  readonly acks: RunWatchResult[] = [];
  snapshot: RunSnapshot | null = null;
  readonly #waiters = new Set<() => void>();

  constructor(url: string, cookie: string, readonly runId: number, opts: { fromStart?: boolean } = {}) {
    this.socket = io(url, { transports: ['websocket'], extraHeaders: { cookie, origin: url }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
    this.socket.on('connect', () => {
      this.cursor.unsync();
      const afterSeq = this.cursor.afterSeq ?? (opts.fromStart ? 0 : undefined);
      this.socket.emit('run:watch', { runId, ...(afterSeq === undefined ? {} : { afterSeq }) }, (ack) => {
        this.acks.push(ack);
        if (ack.mode === 'snapshot') {
          this.snapshot = ack.snapshot;
          this.#push(this.cursor.fromSnapshot(ack.snapshot.seq));
        } else if (ack.mode === 'replay') this.#push(this.cursor.fromReplay(ack.events));
      });
    });
    this.socket.on('run:events', (batch) => {
      if (batch.runId === runId) this.#push(this.cursor.accept(batch.events));
    });
  }

  /** the run's final status was applied (live, replayed, or already in the snapshot) */
  get ended(): boolean {
    return this.events.some(isTerminalEvent) || (this.snapshot !== null && TERMINAL.has(this.snapshot.run.status));
  }

  waitFor(pred: (c: WatchClient) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred(this)) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; have ${this.events.length} events, last seq ${this.cursor.seq}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  close(): void {
    this.socket.close();
  }

  #push(events: RunEvent[]) {
    this.events.push(...events);
    for (const w of [...this.#waiters]) w();
  }
}

