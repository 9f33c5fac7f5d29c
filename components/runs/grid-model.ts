import type { ConnectProgress } from '@/server/contracts/run-events';
import type { RunPlan } from '@/server/contracts/run-types';
import { formatClock } from '@/components/ui/format';
import type { FailureKind, NodeStatus, StepStatus } from '@/server/contracts/status';

export type GridCell = {
  status: StepStatus;
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  errorKind: FailureKind | null;
  errorMessage: string | null;
  attempts?: number;
  /** running, waiting for the host's SSH connection */
  connecting?: ConnectProgress | null;
};

export const connectingText = (c: ConnectProgress) => `connecting (attempt ${c.attempt} of ${c.attempts}, gives up at ${formatClock(c.givesUpAt)})`;

export type GridRow =
  | { kind: 'module'; key: string; id: string; name: string; collapsed: boolean; hosts: ReadonlySet<string> }
  | { kind: 'task'; key: string; id: string; name: string; hosts: ReadonlySet<string>; ignoreError: boolean }
  | { kind: 'step'; key: string; id: string; name: string; taskId: string; hosts: ReadonlySet<string> };

export const cellKey = (stepId: string, host: string) => `${stepId}|${host}`;

/** Rows in plan order; a collapsed module is its one row. */
export function gridRows(plan: RunPlan, collapsed: ReadonlySet<string> = new Set()): GridRow[] {
  const rows: GridRow[] = [];
  for (const mod of plan.modules) {
    const folded = collapsed.has(mod.id);
    rows.push({ kind: 'module', key: `m:${mod.id}`, id: mod.id, name: mod.name, collapsed: folded, hosts: new Set(mod.tasks.flatMap((t) => t.hosts)) });
    if (folded) continue;
    for (const task of mod.tasks) {
      const hosts = new Set(task.hosts);
      rows.push({ kind: 'task', key: `t:${task.id}`, id: task.id, name: task.name, hosts, ignoreError: task.ignoreError });
      for (const step of task.steps) rows.push({ kind: 'step', key: `s:${step.id}`, id: step.id, name: step.name, taskId: task.id, hosts });
    }
  }
  return rows;
}

export type NodeStatuses = ReadonlyMap<string, NodeStatus>;

/**
 * GitHub Actions' habit: a module that finished well folds to one row once the run has moved on to a later module,
 * unless the user opened it or is in it (focus or selection); the user's click decides over everything.
 */
export function foldedModules(plan: RunPlan, nodes: NodeStatuses | undefined, overrides: ReadonlyMap<string, boolean>, keepOpen: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  let laterStarted = false;
  for (let i = plan.modules.length - 1; i >= 0; i--) {
    const id = plan.modules[i]!.id;
    const status = nodes?.get(id);
    const auto = laterStarted && (status === 'succeeded' || status === 'skipped') && !keepOpen.has(id);
    if (overrides.get(id) ?? auto) out.add(id);
    if (status !== undefined && status !== 'pending') laterStarted = true;
  }
  return out;
}
