import type { RunPlan } from '@/server/contracts/run-types';
import type { FailureKind } from '@/server/contracts/status';
import { cellKey, type GridCell, type NodeStatuses } from './grid-model';

export type FailurePoint = {
  stepId: string;
  host: string;
  step: string;
  task: string;
  module: string;
  kind: FailureKind | null;
  message: string | null;
  /** every host on which this step failed */
  hosts: string[];
};

/** The failure that stopped the run: the first failed cell, in plan order, of a task that did not ignore it; else the first failed cell. */
export function findFailure(plan: RunPlan, cells: ReadonlyMap<string, GridCell>, nodes: NodeStatuses): FailurePoint | null {
  let fallback: FailurePoint | null = null;
  for (const mod of plan.modules) {
    for (const task of mod.tasks) {
      for (const step of task.steps) {
        const failed = task.hosts.filter((h) => cells.get(cellKey(step.id, h))?.status === 'failed');
        const first = failed[0];
        if (first === undefined) continue;
        const cell = cells.get(cellKey(step.id, first))!;
        const point = { stepId: step.id, host: first, step: step.name, task: task.name, module: mod.name, kind: cell.errorKind, message: cell.errorMessage, hosts: failed };
        if (nodes.get(task.id) !== 'failed-ignored' && !task.ignoreError) return point;
        fallback ??= point;
      }
    }
  }
  return fallback;
}

/** `?cell=<step id>@<host>`: step ids never hold "@", so the first one splits. */
export function parseCellParam(value: string | null): { stepId: string; host: string } | null {
  if (!value) return null;
  const at = value.indexOf('@');
  if (at <= 0 || at === value.length - 1) return null;
  return { stepId: value.slice(0, at), host: value.slice(at + 1) };
}

export const cellParam = (c: { stepId: string; host: string }) => `${c.stepId}@${c.host}`;
