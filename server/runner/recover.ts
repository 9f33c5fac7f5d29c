import { inArray } from 'drizzle-orm';
import { RunPlan, RunSummary } from '../contracts/run-types';
import type { Db } from '../db/client';
import { runs } from '../db/schema';
import type { RunBus } from './bus';
import { CellState } from './cell-state';
import { Recorder } from './recorder';
import { readCells } from '../db/runs';

export const INTERRUPTED_RUNNING = 'the server stopped while this run was running';
export const INTERRUPTED_QUEUED = 'the server stopped before this run started';

/** At start: runs a previous process left queued or running become interrupted, their open cells cancelled, with closing events. */
export function markInterrupted(db: Db, bus: RunBus, reasons = { running: INTERRUPTED_RUNNING, queued: INTERRUPTED_QUEUED }): number[] {
  const left = db
    .select({ id: runs.id, status: runs.status, pipeline: runs.pipeline, lastSeq: runs.lastSeq, plan: runs.plan, summary: runs.summary })
    .from(runs)
    .where(inArray(runs.status, ['queued', 'running']))
    .all();
  for (const run of left) {
    const nodes = RunSummary.safeParse(run.summary);
    const plan = RunPlan.safeParse(run.plan);
    const recorder = new Recorder({
      db,
      bus,
      runId: run.id,
      lastSeq: run.lastSeq,
      cells: new CellState(readCells(db, run.id), nodes.success ? nodes.data.nodes : {}),
      plan: plan.success ? plan.data : null,
      redact: (t) => t,
    });
    recorder.finish('interrupted', run.pipeline, run.status === 'running' ? reasons.running : reasons.queued);
  }
  return left.map((r) => r.id);
}
