import { z } from 'zod';
import { RunEvent } from './run-events';
import { RunInfo, RunSnapshot } from './run-types';

export const RunWatchRequest = z.strictObject({ runId: z.number().int().positive(), afterSeq: z.number().int().min(0).optional() });
export type RunWatchRequest = z.infer<typeof RunWatchRequest>;
export const RunUnwatchRequest = z.strictObject({ runId: z.number().int().positive() });
export type RunUnwatchRequest = z.infer<typeof RunUnwatchRequest>;

/** snapshot: replace local state; replay: apply `events` (all with seq > afterSeq, up to `seq`). Either way, then drop live events with seq <= `seq`. */
export const RunWatchResult = z.discriminatedUnion('mode', [
  z.object({ ok: z.literal(true), mode: z.literal('snapshot'), snapshot: RunSnapshot }),
  z.object({ ok: z.literal(true), mode: z.literal('replay'), run: RunInfo, events: z.array(RunEvent), seq: z.number().int() }),
  z.object({ ok: z.literal(false), mode: z.literal('error'), error: z.string() }),
]);
export type RunWatchResult = z.infer<typeof RunWatchResult>;

/** Live events of one run, in seq order; status events come alone or closing a batch of log lines (~150 ms). */
export const RunEventBatch = z.object({ runId: z.number().int(), events: z.array(RunEvent) });
export type RunEventBatch = z.infer<typeof RunEventBatch>;

/** Sent to every socket when a run is created, changes status or its counters move (at most ~1/s per run). */
export const RunsChanged = z.object({ run: RunInfo });
export type RunsChanged = z.infer<typeof RunsChanged>;

/** Client-side bookkeeping: applies each seq exactly once across snapshot, replay and live batches. */
export class RunSeqCursor {
  #seq = 0;
  #everSynced = false;
  #synced = false;
  #held: RunEvent[] = [];

  get seq(): number {
    return this.#seq;
  }

  /** What to send as run:watch afterSeq: undefined until a first ack (ask for a snapshot). */
  get afterSeq(): number | undefined {
    return this.#everSynced ? this.#seq : undefined;
  }

  /** Call on (re)connect before sending run:watch: live events are held until the ack. */
  unsync(): void {
    this.#synced = false;
    this.#held = [];
  }

  /** With a snapshot ack: the state is the snapshot; returns held live events newer than it. */
  fromSnapshot(seq: number): RunEvent[] {
    this.#seq = seq;
    return this.#sync([]);
  }

  /** With a replay ack: returns the missed events and then held live ones, each seq once. */
  fromReplay(events: readonly RunEvent[]): RunEvent[] {
    return this.#sync(events);
  }

  /** Live batch: returns the events not applied yet, in order (none while a watch ack is pending). */
  accept(events: readonly RunEvent[]): RunEvent[] {
    if (!this.#synced) {
      this.#held.push(...events);
      return [];
    }
    const fresh: RunEvent[] = [];
    for (const e of events) {
      if (e.seq <= this.#seq) continue;
      fresh.push(e);
      this.#seq = e.seq;
    }
    return fresh;
  }

  #sync(first: readonly RunEvent[]): RunEvent[] {
    this.#synced = true;
    this.#everSynced = true;
    const held = this.#held;
    this.#held = [];
    return [...this.accept(first), ...this.accept(held)];
  }
}
