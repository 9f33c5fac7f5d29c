import type { RunEvent } from '@/server/contracts/run-events';
import type { RunInfo, RunLogLine, RunPlan, RunSnapshot } from '@/server/contracts/run-types';
import type { NodeStatus, StepStatus } from '@/server/contracts/status';
import { cellKey, type GridCell } from './grid-model';
import { Rollups } from './rollups';

export const LOG_TAIL_LIMIT = 5000;

/** Mutable view state of one run; `version` bumps on every change so React can re-render once per frame. */
export class LiveRunState {
  run: RunInfo | null = null;
  plan: RunPlan | null = null;
  cells = new Map<string, GridCell>();
  /** per step id: bumps when any cell of that step changes, so the grid re-renders only changed rows */
  readonly rowVersions = new Map<string, number>();
  nodes = new Map<string, NodeStatus>();
  logs: RunLogLine[] = [];
  readonly rollups = new Rollups();
  /** the cell that started last: what "follow" keeps in view */
  lastStarted: { stepId: string; host: string } | null = null;
  seq = 0;
  version = 0;
  /** cells per status, kept one event at a time: counting 8,000 cells on every frame was most of a frame's script */
  readonly #counts: Record<StepStatus, number> = { pending: 0, running: 0, succeeded: 0, skipped: 0, failed: 0, cancelled: 0 };
  readonly #logListeners = new Set<(line: RunLogLine) => void>();

  loadSnapshot(s: RunSnapshot): void {
    this.run = s.run;
    this.plan = s.plan;
    this.cells = new Map(s.cells.map((c) => [cellKey(c.stepId, c.host), {
      status: c.status, startedAt: c.startedAt, endedAt: c.endedAt, exitCode: c.exitCode, errorKind: c.errorKind, errorMessage: c.errorMessage, attempts: c.attempts,
    }]));
    for (const c of s.connecting ?? []) {
      const cell = this.cells.get(cellKey(c.stepId, c.host));
      if (cell) cell.connecting = c.connecting;
    }
    for (const k of Object.keys(this.#counts) as StepStatus[]) this.#counts[k] = 0;
    for (const cell of this.cells.values()) this.#counts[cell.status]++;
    this.nodes = new Map(Object.entries(s.run.summary.nodes));
    this.rollups.reset(s.plan, this.cells);
    this.lastStarted = null;
    for (const c of s.cells) if (c.status === 'running' && (!this.lastStarted || (c.startedAt ?? 0) > (this.cells.get(cellKey(this.lastStarted.stepId, this.lastStarted.host))?.startedAt ?? 0))) this.lastStarted = { stepId: c.stepId, host: c.host };
    this.logs = s.logTail.slice(-LOG_TAIL_LIMIT);
    this.seq = s.seq;
    this.version++;
  }

  setRun(run: RunInfo): void {
    this.run = run;
    this.version++;
  }

  onLog(listener: (line: RunLogLine) => void): () => void {
    this.#logListeners.add(listener);
    return () => this.#logListeners.delete(listener);
  }

  apply(events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.#applyOne(e);
    this.seq = events[events.length - 1]!.seq;
    this.version++;
  }

  #applyOne(e: RunEvent): void {
    switch (e.type) {
      case 'run.status':
        if (this.run) {
          const terminal = !['queued', 'running'].includes(e.status);
          this.run = {
            ...this.run,
            status: e.status,
            statusReason: e.reason ?? (e.failure ? e.failure.message : this.run.statusReason),
            startedAt: e.status === 'running' ? (this.run.startedAt ?? e.ts) : this.run.startedAt,
            endedAt: terminal ? e.ts : this.run.endedAt,
          };
        }
        return;
      case 'module.status':
        this.nodes.set(e.moduleId, e.status);
        return;
      case 'task.status':
        this.nodes.set(e.taskId, e.status);
        return;
      case 'step.status': {
        const key = cellKey(e.stepId, e.host);
        const before = this.cells.get(key);
        if (before) this.#counts[before.status]--;
        this.#counts[e.status]++;
        this.cells.set(key, {
          status: e.status, startedAt: e.startedAt, endedAt: e.endedAt, exitCode: e.exitCode,
          errorKind: e.failure?.kind ?? null, errorMessage: e.failure?.message ?? null, attempts: e.attempt,
        });
        this.rowVersions.set(e.stepId, (this.rowVersions.get(e.stepId) ?? 0) + 1);
        this.rollups.onCell(e.taskId, e.host, this.cells);
        if (e.status === 'running') this.lastStarted = { stepId: e.stepId, host: e.host };
        return;
      }
      case 'step.connecting': {
        const key = cellKey(e.stepId, e.host);
        const cell = this.cells.get(key);
        if (cell?.status !== 'running') return;
        this.cells.set(key, { ...cell, connecting: e.connecting });
        this.rowVersions.set(e.stepId, (this.rowVersions.get(e.stepId) ?? 0) + 1);
        return;
      }
      case 'log': {
        const line: RunLogLine = { seq: e.seq, host: e.host, stepId: e.stepId, stream: e.stream, text: e.text, ts: e.ts };
        this.logs.push(line);
        if (this.logs.length > LOG_TAIL_LIMIT * 1.2) this.logs = this.logs.slice(-LOG_TAIL_LIMIT);
        for (const l of this.#logListeners) l(line);
      }
    }
  }

  counts(): Record<StepStatus, number> & { total: number } {
    const c = { ...this.#counts, total: this.plan?.cellCount ?? 0 };
    c.pending = Math.max(0, c.total - c.running - c.succeeded - c.skipped - c.failed - c.cancelled);
    return c;
  }
}
