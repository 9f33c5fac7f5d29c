import type { PlanModule, PlanStep, PlanTask, RunPlan } from '../contracts/run-types';
import type { Host, Pipeline, Task } from './types';

export const DEFAULT_CONCURRENCY = 10;

/** The plan's shape is the contract's zod schema (contracts/run-types.ts), so what the engine plans is what is stored and sent. */
export type { PlanModule, PlanStep, PlanTask };
export type Plan = RunPlan;

export function selectHosts<H extends Host>(task: Pick<Task, 'runOnRoles' | 'filter'>, hosts: readonly H[]): H[] {
  const roles = task.runOnRoles ?? [];
  return hosts.filter((h) => (roles.length === 0 || h.roles.some((r) => roles.includes(r))) && (task.filter ? task.filter(h) : true));
}

/** Unset or 0 means the default (10), as in the original design; a negative or fractional value is a bug. */
export function taskConcurrency(task: Pick<Task, 'concurrency'>): number {
  const c = task.concurrency || DEFAULT_CONCURRENCY;
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`task concurrency must be a positive integer or 0 (the default), got ${c}`);
  return c;
}

export function planPipeline<Spec, HostData>(pipeline: Pipeline<Spec, HostData>, hosts: readonly Host<HostData>[]): Plan {
  const names = new Set<string>();
  for (const h of hosts) {
    if (names.has(h.name)) throw new RangeError(`duplicate host name ${h.name}`);
    names.add(h.name);
  }
  let cellCount = 0;
  const modules = pipeline.modules.map((mod, m) => ({
    id: `${m}`,
    index: m,
    name: mod.name,
    tasks: mod.tasks.map((task, t) => {
      const targets = selectHosts(task, hosts).map((h) => h.name);
      cellCount += targets.length * task.steps.length;
      return {
        id: `${m}.${t}`,
        index: t,
        name: task.name,
        hosts: targets,
        ignoreError: task.ignoreError ?? false,
        concurrency: taskConcurrency(task),
        steps: task.steps.map((step, s) => ({ id: `${m}.${t}.${s}`, index: s, name: step.name })),
      };
    }),
  }));
  return { pipeline: pipeline.name, hosts: hosts.map((h) => h.name), modules, cellCount };
}
