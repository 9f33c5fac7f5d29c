import type { RunCell, RunPlan, RunSummary } from '../contracts/run-types';
import { emptySummary } from '../contracts/run-types';
import type { StepCounts, StepStatusEvent } from '../contracts/run-events';
import type { StepStatus } from '../contracts/status';
import { STEP_STATUSES } from '../contracts/status';
import type { Db } from '../db/client';
import { insertRun, type NewRun } from '../db/runs';

export const cellKey = (stepId: string, host: string) => `${stepId}\u0000${host}`;

const zero = (): StepCounts => Object.fromEntries(STEP_STATUSES.map((s) => [s, 0])) as StepCounts;

/** The grid of one run in memory with its counters, kept in step with what is written to run_cells. */
export class CellState {
  readonly cells = new Map<string, RunCell>();
  readonly summary: RunSummary;

  constructor(cells: Iterable<RunCell>, nodes: RunSummary['nodes'] = {}) {
    this.summary = { ...emptySummary(), nodes: { ...nodes } };
    for (const c of cells) {
      this.cells.set(cellKey(c.stepId, c.host), c);
      this.#count(c.host, c.status, 1);
    }
  }

  static fromPlan(plan: RunPlan): CellState {
    const cells: RunCell[] = [];
    for (const m of plan.modules)
      for (const t of m.tasks)
        for (const s of t.steps)
          for (const host of t.hosts)
            cells.push({ stepId: s.id, host, status: 'pending', attempts: 0, startedAt: null, endedAt: null, exitCode: null, errorKind: null, errorMessage: null, stderrTail: null, seq: 0 });
    return new CellState(cells);
  }

  apply(e: StepStatusEvent): RunCell {
    const key = cellKey(e.stepId, e.host);
    const prev = this.cells.get(key);
    if (prev) this.#count(prev.host, prev.status, -1);
    const cell: RunCell = {
      stepId: e.stepId,
      host: e.host,
      status: e.status,
      attempts: e.attempt,
      startedAt: e.startedAt,
      endedAt: e.endedAt,
      exitCode: e.exitCode,
      errorKind: e.failure?.kind ?? null,
      errorMessage: e.failure?.message ?? null,
      stderrTail: e.failure?.stderrTail || null,
      seq: e.seq,
    };
    this.cells.set(key, cell);
    this.#count(cell.host, cell.status, 1);
    return cell;
  }

  open(): RunCell[] {
    return [...this.cells.values()].filter((c) => c.status === 'pending' || c.status === 'running');
  }

  #count(host: string, status: StepStatus, d: number) {
    this.summary.total[status] += d;
    const h = (this.summary.hosts[host] ??= zero());
    h[status] += d;
  }
}

/** Inserts the run (queued) with every cell of its plan pending, and returns the grid the recorder goes on from. */
export function insertPlannedRun(db: Db, run: Omit<NewRun, 'cells' | 'summary'>): { runId: number; cells: CellState } {
  const cells = CellState.fromPlan(run.plan);
  return { runId: insertRun(db, { ...run, cells: [...cells.cells.values()], summary: cells.summary }), cells };
}
