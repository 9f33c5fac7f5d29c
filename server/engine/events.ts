import type { NodeStatus, RunStatus, StepStatus } from '../contracts/status';
import type { Failure } from './errors';
import type { Logger, LogStream } from './types';

export type StepCounts = Record<StepStatus, number>;

type Base = { runId: string; seq: number; ts: number };

export type RunStatusEvent = Base & { type: 'run.status'; pipeline: string; status: RunStatus; failure: Failure | null };
export type ModuleStatusEvent = Base & { type: 'module.status'; moduleId: string; module: string; status: NodeStatus };
export type TaskStatusEvent = Base & {
  type: 'task.status';
  moduleId: string;
  taskId: string;
  task: string;
  status: NodeStatus;
  counts: StepCounts;
  message: string | null;
};
export type StepStatusEvent = Base & {
  type: 'step.status';
  moduleId: string;
  taskId: string;
  stepId: string;
  step: string;
  host: string;
  status: StepStatus;
  attempt: number;
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  failure: Failure | null;
};
export type LogEvent = Base & {
  type: 'log';
  host: string | null;
  taskId: string | null;
  stepId: string | null;
  stream: LogStream;
  text: string;
};

export type EngineEvent = RunStatusEvent | ModuleStatusEvent | TaskStatusEvent | StepStatusEvent | LogEvent;
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

  emit(input: EngineEventInput): EngineEvent {
    const event = { ...input, runId: this.runId, seq: ++this.#seq, ts: this.now() } as EngineEvent;
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
