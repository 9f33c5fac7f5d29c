import type * as C from '../contracts/run-events';
import type { Logger } from './types';

export type StepCounts = C.StepCounts;

// The engine's events are the contract's zod schemas (contracts/run-events.ts) with the engine's own run id (a string).
type Base = { runId: string; seq: number; ts: number };
type FromContract<E> = Base & Omit<E, keyof Base>;

export type RunStatusEvent = FromContract<C.RunStatusEvent>;
export type ModuleStatusEvent = FromContract<C.ModuleStatusEvent>;
export type TaskStatusEvent = FromContract<C.TaskStatusEvent>;
export type StepStatusEvent = FromContract<C.StepStatusEvent>;
export type StepConnectingEvent = FromContract<C.StepConnectingEvent>;
export type LogEvent = FromContract<C.LogEvent>;

export type EngineEvent = RunStatusEvent | ModuleStatusEvent | TaskStatusEvent | StepStatusEvent | StepConnectingEvent | LogEvent;
export type EngineEventType = EngineEvent['type'];
type WithoutBase<E> = E extends unknown ? Omit<E, keyof Base> : never;
export type EngineEventInput = WithoutBase<EngineEvent>;
export type EngineListener = (event: EngineEvent) => void | Promise<void>;

export function emptyCounts(): StepCounts {
  return { pending: 0, running: 0, succeeded: 0, skipped: 0, failed: 0, cancelled: 0 };
}

/** Stamps run id, gap-free seq (from 1) and time; a throwing listener is logged and never reaches the engine. */
export class RunEmitter {
  #seq = 0;
  readonly #listeners = new Set<EngineListener>();

  constructor(
    readonly runId: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get seq(): number {
    return this.#seq;
  }

  on(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stamps `input` itself (every caller passes a fresh object): no copy per event, the hot path of a run. */
  emit(input: EngineEventInput): EngineEvent {
    const event = input as EngineEvent;
    event.runId = this.runId;
    event.seq = ++this.#seq;
    event.ts = this.now();
    for (const listener of this.#listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.#report(err, event));
      } catch (err) {
        this.#report(err, event);
      }
    }
    return event;
  }

  #report(err: unknown, event: EngineEvent) {
    this.logger.error('engine event listener threw', { runId: this.runId, seq: event.seq, type: event.type, error: String(err) });
  }
}
