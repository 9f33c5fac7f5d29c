import type { RunPlan } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { cellKey, type GridCell } from './grid-model';

/** One status for several: failed wins, then running (also when some are done and some still pending), then all-pending, cancelled, all-skipped, succeeded. */
export function rollUp(statuses: Iterable<StepStatus>): StepStatus {
  let n = 0;
  const seen = new Set<StepStatus>();
  for (const s of statuses) {
    n++;
    seen.add(s);
  }
  if (n === 0) return 'pending';
  if (seen.has('failed')) return 'failed';
  if (seen.has('running')) return 'running';
  if (seen.has('pending')) return seen.size === 1 ? 'pending' : 'running';
  if (seen.has('cancelled')) return 'cancelled';
  if (seen.size === 1 && seen.has('skipped')) return 'skipped';
  return 'succeeded';
}

export const rollupKey = (nodeId: string, host: string) => `${nodeId}|${host}`;

/**
 * Per-host status of every task and module, kept up to date one cell at a time: a step event recomputes only its task on
 * its host (the task's steps) and its module on that host (the module's tasks), never the whole grid.
 */
export class Rollups {
  readonly map = new Map<string, StepStatus>();
  #taskSteps = new Map<string, { steps: string[]; module: string }>();
  #moduleTasks = new Map<string, { id: string; hosts: ReadonlySet<string> }[]>();

  reset(plan: RunPlan | null, cells: ReadonlyMap<string, GridCell>): void {
    this.map.clear();
    this.#taskSteps.clear();
    this.#moduleTasks.clear();
    if (!plan) return;
    for (const mod of plan.modules) {
      this.#moduleTasks.set(mod.id, mod.tasks.map((t) => ({ id: t.id, hosts: new Set(t.hosts) })));
      for (const t of mod.tasks) this.#taskSteps.set(t.id, { steps: t.steps.map((s) => s.id), module: mod.id });
      for (const t of mod.tasks) for (const h of t.hosts) this.#task(t.id, h, cells);
      for (const h of plan.hosts) this.#module(mod.id, h);
    }
  }

  onCell(taskId: string, host: string, cells: ReadonlyMap<string, GridCell>): void {
    const t = this.#taskSteps.get(taskId);
    if (!t) return;
    this.#task(taskId, host, cells);
    this.#module(t.module, host);
  }

  #task(taskId: string, host: string, cells: ReadonlyMap<string, GridCell>): void {
    const steps = this.#taskSteps.get(taskId)?.steps ?? [];
    this.map.set(rollupKey(taskId, host), rollUp(steps.map((s) => cells.get(cellKey(s, host))?.status ?? 'pending')));
  }

  #module(moduleId: string, host: string): void {
    const tasks = (this.#moduleTasks.get(moduleId) ?? []).filter((t) => t.hosts.has(host));
    if (tasks.length === 0) return;
    this.map.set(rollupKey(moduleId, host), rollUp(tasks.map((t) => this.map.get(rollupKey(t.id, host)) ?? 'pending')));
  }
}
