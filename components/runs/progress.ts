import type { RunPlan } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { cellKey, type GridCell } from './grid-model';

export type Counts = Record<StepStatus, number> & { total: number };

/** Done (succeeded + skipped), failed, cancelled and pending add up to the total; the percentage counts only steps that ran, so a cancelled run never reads 100%. */
export function progressOf(c: Counts) {
  const done = c.succeeded + c.skipped;
  const ran = done + c.failed;
  const pct = c.total ? Math.floor((ran / c.total) * 100) : 0;
  return { done, ran, pct, left: c.pending + c.running };
}

/** Remaining time from per-step medians: steps not finished on every host, minus what a running step already took. Null without history. */
export function etaMs(plan: RunPlan, cells: ReadonlyMap<string, GridCell>, stepMs: Readonly<Record<string, number>>, now: number): number | null {
  let left = 0;
  let known = false;
  for (const mod of plan.modules) {
    for (const task of mod.tasks) {
      for (const step of task.steps) {
        const median = stepMs[step.id];
        if (median === undefined) continue;
        known = true;
        let started = Infinity;
        let open = false;
        for (const h of task.hosts) {
          const c = cells.get(cellKey(step.id, h));
          if (!c || c.status === 'pending' || c.status === 'running') open = true;
          if (c?.startedAt) started = Math.min(started, c.startedAt);
        }
        if (open) left += Math.max(0, median - (Number.isFinite(started) ? now - started : 0));
      }
    }
  }
  return known ? left : null;
}
