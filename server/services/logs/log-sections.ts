import { RunPlan, type RunCell } from '../../contracts/run-types';
import type { runs } from '../../db/schema';

type RunRow = typeof runs.$inferSelect;
export type LogSection = { stepId: string | null; host: string | null; header: string };

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' | ').trim();

function seconds(c: RunCell): string {
  return c.startedAt !== null && c.endedAt !== null ? `${((c.endedAt - c.startedAt) / 1000).toFixed(1)}s` : '-';
}

export function cellHeader(path: string, host: string, c: RunCell | undefined): string {
  if (!c) return `== ${path} · ${host} · pending`;
  const parts = [path, host, c.status, seconds(c), `exit ${c.exitCode ?? '-'}`];
  if (c.errorMessage) parts.push(`${c.errorKind ?? 'error'}: ${oneLine(c.errorMessage)}`);
  return `== ${parts.join(' · ')}`;
}

export function runHeader(row: RunRow): string {
  const iso = (t: number | null) => (t ? new Date(t).toISOString() : '-');
  return `# run #${row.id} · ${row.pipeline} on ${row.clusterName} · ${row.status}${row.statusReason ? ` (${oneLine(row.statusReason)})` : ''} · started ${iso(row.startedAt)} · ended ${iso(row.endedAt)}`;
}

/** The download's sections in plan order: run-level lines first, then one per (step, host) that ran or was planned. */
export function logSections(row: RunRow, cells: RunCell[], filter: { host?: string | undefined; stepId?: string | undefined }): LogSection[] {
  const byCell = new Map(cells.map((c) => [`${c.stepId}|${c.host}`, c]));
  const out: LogSection[] = [];
  if (!filter.stepId) out.push({ stepId: null, host: filter.host ?? null, header: '== run' });
  const plan = RunPlan.safeParse(row.plan);
  if (!plan.success) {
    for (const c of cells) if ((!filter.host || c.host === filter.host) && (!filter.stepId || c.stepId === filter.stepId)) out.push({ stepId: c.stepId, host: c.host, header: cellHeader(c.stepId, c.host, c) });
    return out;
  }
  for (const mod of plan.data.modules) {
    for (const task of mod.tasks) {
      for (const step of task.steps) {
        if (filter.stepId && step.id !== filter.stepId) continue;
        for (const host of task.hosts) {
          if (filter.host && host !== filter.host) continue;
          out.push({ stepId: step.id, host, header: cellHeader(`${mod.name} / ${task.name} / ${step.name}`, host, byCell.get(`${step.id}|${host}`)) });
        }
      }
    }
  }
  return out;
}
