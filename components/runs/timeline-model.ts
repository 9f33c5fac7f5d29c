import type { RunPlan } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { cellKey, type GridCell } from './grid-model';

export type Bar = { stepId: string; host: string; name: string; status: StepStatus; start: number; end: number; slow: boolean };
export type Lane = { host: string; bars: Bar[]; end: number };
export type Timeline = { lanes: Lane[]; t0: number; t1: number };

/** Lanes per host, bars per started step in start order; the slowest 5% of bars (and at least the slowest one) are marked. */
export function buildTimeline(plan: RunPlan, cells: ReadonlyMap<string, GridCell>, now: number): Timeline {
  const byHost = new Map<string, Bar[]>(plan.hosts.map((h) => [h, []]));
  let t0 = Infinity;
  let t1 = -Infinity;
  const durations: number[] = [];
  for (const mod of plan.modules) {
    for (const task of mod.tasks) {
      for (const step of task.steps) {
        for (const host of task.hosts) {
          const c = cells.get(cellKey(step.id, host));
          if (!c?.startedAt) continue;
          const end = c.endedAt ?? now;
          byHost.get(host)?.push({ stepId: step.id, host, name: `${task.name} › ${step.name}`, status: c.status, start: c.startedAt, end, slow: false });
          t0 = Math.min(t0, c.startedAt);
          t1 = Math.max(t1, end);
          durations.push(end - c.startedAt);
        }
      }
    }
  }
  if (!Number.isFinite(t0)) return { lanes: [], t0: 0, t1: 0 };
  durations.sort((a, b) => b - a);
  const cut = durations[Math.max(0, Math.ceil(durations.length * 0.05) - 1)] ?? Infinity;
  const lanes = [...byHost].map(([host, bars]) => {
    for (const b of bars) b.slow = b.end - b.start >= cut && b.end - b.start > 0;
    bars.sort((a, b) => a.start - b.start);
    return { host, bars, end: bars.reduce((m, b) => Math.max(m, b.end), 0) };
  });
  return { lanes, t0, t1: Math.max(t1, t0 + 1) };
}

/** Round tick steps (1, 2, 5 × 10^n ms) so that about `count` ticks fit. */
export function tickStep(spanMs: number, count: number): number {
  const raw = spanMs / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}
