import type { RunEvent, RunFailure, RunStatusEvent, StepCounts } from '../contracts/run-events';
import type { RunCell, RunPlan } from '../contracts/run-types';
import { STEP_STATUSES, type RunStatus } from '../contracts/status';
import type { Db } from '../db/client';
import type { RunBus } from './bus';
import { cellKey, type CellState } from './cell-state';
import { writeBatch, type RunRowUpdate } from './record-store';

type Distribute<E> = E extends unknown ? Omit<E, 'runId' | 'seq' | 'ts'> & { ts?: number } : never;
export type RunEventInput = Distribute<RunEvent>;

export const LOG_FLUSH_MS = 150;
export const MAX_BATCH = 500;
const CHANGED_EVERY_MS = 1000;

export type RecorderOptions = { db: Db; bus: RunBus; runId: number; lastSeq: number; cells: CellState; redact: (text: string) => string; plan?: RunPlan | null; logger?: Pick<Console, 'error'> };

/** Engine events → SQLite (one transaction per batch) → bus. Nothing reaches the bus before it is committed. */
export class Recorder {
  readonly runId: number;
  #seq: number;
  #buffer: RunEvent[] = [];
  #dirtyCells = new Map<string, RunCell>();
  #row: Omit<RunRowUpdate, 'lastSeq' | 'summary'> = {};
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #changedTimer: NodeJS.Timeout | null = null;
  #lastChanged = 0;
  #closed = false;
  readonly #o: RecorderOptions;

  constructor(o: RecorderOptions) {
    this.#o = o;
    this.runId = o.runId;
    this.#seq = o.lastSeq;
  }

  get seq(): number {
    return this.#seq;
  }

  get cells(): CellState {
    return this.#o.cells;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Assigns the next seq, redacts secrets and buffers; status events are flushed on the next turn, log lines within LOG_FLUSH_MS. */
  record(input: RunEventInput): RunEvent | null {
    if (this.#closed) return null;
    // one new object per event (the engine's own stays untouched), redacted in place: 2,000 log lines a second are the server's main garbage
    const event = { ...input, runId: this.runId, seq: ++this.#seq, ts: input.ts ?? Date.now() } as RunEvent;
    this.#redact(event);
    this.#buffer.push(event);
    if (event.type === 'step.status') this.#dirtyCells.set(cellKey(event.stepId, event.host), this.#o.cells.apply(event));
    else if (event.type === 'task.status' || event.type === 'module.status') this.#o.cells.summary.nodes[event.type === 'task.status' ? event.taskId : event.moduleId] = event.status;
    else if (event.type === 'run.status') this.#runStatus(event);
    if (this.#buffer.length >= MAX_BATCH) this.flush();
    else if (event.type !== 'log') this.#immediate ??= setImmediate(() => this.flush());
    else this.#timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS);
    return event;
  }

  /** Writes the buffer in one transaction, then publishes it. Synchronous. */
  flush(): void {
    this.#clearTimers();
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    const statusChanged = this.#row.status !== undefined;
    try {
      writeBatch(this.#o.db, this.runId, events, this.#dirtyCells.values(), { ...this.#row, lastSeq: this.#seq, summary: this.#o.cells.summary });
    } catch (err) {
      (this.#o.logger ?? console).error(`run ${this.runId}: writing ${events.length} events failed; kept for the next flush`, err);
      if (!this.#closed) this.#timer = setTimeout(() => this.flush(), LOG_FLUSH_MS * 4).unref();
      return;
    }
    this.#buffer = [];
    this.#dirtyCells = new Map();
    this.#row = {};
    this.#o.bus.events(this.runId, events);
    // status changes at once; counters at most once a second (a 200-host run finishes hundreds of steps a second)
    this.#notifyChanged(statusChanged);
  }

  /** Flushes and stops accepting events (later ones are dropped). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
    this.#clearTimers();
    if (this.#changedTimer) {
      clearTimeout(this.#changedTimer);
      this.#changedTimer = null;
      this.#o.bus.changed(this.runId);
    }
  }

  /** Closes every pending/running cell as cancelled (one step.status event each), then records the run's final status. */
  finish(status: Extract<RunStatus, 'cancelled' | 'interrupted'>, pipeline: string, message: string): void {
    const failure = { kind: 'cancelled' as const, message, exitCode: null, stderrTail: '' };
    const names = stepNames(this.#o.plan);
    for (const c of this.#o.cells.open()) {
      const [m, t] = c.stepId.split('.');
      this.record({
        type: 'step.status',
        moduleId: m ?? '',
        taskId: `${m}.${t}`,
        stepId: c.stepId,
        step: names.get(c.stepId) ?? c.stepId,
        host: c.host,
        status: 'cancelled',
        attempt: c.attempts,
        startedAt: c.startedAt,
        endedAt: c.startedAt === null ? null : Date.now(),
        exitCode: null,
        failure,
      });
    }
    this.#closeNodes(message);
    this.record({ type: 'run.status', pipeline, status, failure, reason: message });
    this.close();
  }

  #closeNodes(message: string) {
    const nodes = this.#o.cells.summary.nodes;
    const open = (id: string) => nodes[id] === undefined || nodes[id] === 'pending' || nodes[id] === 'running';
    for (const m of this.#o.plan?.modules ?? []) {
      for (const t of m.tasks) {
        if (!open(t.id)) continue;
        const counts = countsOf(this.#o.cells, t.id);
        this.record({ type: 'task.status', moduleId: m.id, taskId: t.id, task: t.name, status: 'cancelled', counts, message });
      }
      if (open(m.id)) this.record({ type: 'module.status', moduleId: m.id, module: m.name, status: 'cancelled' });
    }
  }

  #runStatus(e: RunStatusEvent) {
    this.#row.status = e.status;
    if (e.reason !== undefined) this.#row.statusReason = e.reason;
    else if (e.status !== 'queued') this.#row.statusReason = e.failure?.message ?? null;
    if (e.status === 'running') this.#row.startedAt = e.ts;
    if (e.status !== 'queued' && e.status !== 'running') this.#row.endedAt = e.ts;
  }

  #notifyChanged(now: boolean) {
    const since = Date.now() - this.#lastChanged;
    if (now || since >= CHANGED_EVERY_MS) {
      if (this.#changedTimer) clearTimeout(this.#changedTimer);
      this.#changedTimer = null;
      this.#lastChanged = Date.now();
      this.#o.bus.changed(this.runId);
    } else
      this.#changedTimer ??= setTimeout(() => {
        this.#changedTimer = null;
        this.#lastChanged = Date.now();
        this.#o.bus.changed(this.runId);
      }, CHANGED_EVERY_MS - since);
  }

  #clearTimers() {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
  }

  /** Replaces secrets in the event's own fields (the event is the recorder's new object; nested objects are copied). */
  #redact(e: RunEvent): void {
    const r = this.#o.redact;
    switch (e.type) {
      case 'log':
        e.text = r(e.text);
        return;
      case 'step.status':
        e.failure = redactFailure(e.failure, r);
        return;
      case 'run.status':
        e.failure = redactFailure(e.failure, r);
        if (e.reason) e.reason = r(e.reason);
        return;
      case 'task.status':
        if (e.message) e.message = r(e.message);
        return;
      case 'step.connecting':
        if (e.connecting?.previousError) e.connecting = { ...e.connecting, previousError: r(e.connecting.previousError) };
        return;
      default:
        return;
    }
  }
}

function redactFailure(f: RunFailure | null, r: (text: string) => string): RunFailure | null {
  return f && { ...f, message: r(f.message), stderrTail: r(f.stderrTail) };
}

function stepNames(plan: RunPlan | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of plan?.modules ?? []) for (const t of m.tasks) for (const s of t.steps) out.set(s.id, s.name);
  return out;
}

function countsOf(cells: CellState, taskId: string): StepCounts {
  const counts = Object.fromEntries(STEP_STATUSES.map((st) => [st, 0])) as StepCounts;
  for (const c of cells.cells.values()) if (c.stepId.startsWith(`${taskId}.`)) counts[c.status] += 1;
  return counts;
}
