import type { RunEstimate, RunRef } from '../../contracts/run-api';
import type { Db } from '../../db/client';
import { readRunRow } from '../../db/runs';
import { notFound } from '../../errors';

const HISTORY = 10;

const median = (xs: number[]) => {
  const s = xs.slice().sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Per step, the median of its wall time over the last ended runs of the same pipeline on the same cluster. */
export function estimateRun(deps: { db: Db }, input: RunRef): RunEstimate {
  const run = readRunRow(deps.db, input.runId);
  if (!run) throw notFound(`run #${input.runId}`);
  if (run.clusterId === null) return { runs: 0, stepMs: {} };
  const rows = deps.db.$client.prepare(`
    select c.run_id as runId, c.step_id as stepId, max(c.ended_at) - min(c.started_at) as ms
    from run_cells c
    where c.run_id in (
      select id from runs where cluster_id = ? and pipeline = ? and id < ? and status in ('succeeded', 'failed', 'cancelled') order by id desc limit ?
    ) and c.status in ('succeeded', 'skipped', 'failed') and c.started_at is not null and c.ended_at is not null
    group by c.run_id, c.step_id`).all(run.clusterId, run.pipeline, run.id, HISTORY) as { runId: number; stepId: string; ms: number }[];
  const byStep = new Map<string, number[]>();
  for (const r of rows) byStep.set(r.stepId, [...(byStep.get(r.stepId) ?? []), r.ms]);
  return { runs: new Set(rows.map((r) => r.runId)).size, stepMs: Object.fromEntries([...byStep].map(([s, ms]) => [s, median(ms)])) };
}
