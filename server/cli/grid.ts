import type { GetRunResult } from '../contracts/run-api';
import type { RunInfo } from '../contracts/run-types';
import { SYMBOL } from './progress';

const LEGEND = `legend: ${SYMBOL.succeeded} succeeded  ${SYMBOL.skipped} skipped  ${SYMBOL.failed} failed  ${SYMBOL.running} running  ${SYMBOL.pending} pending  ${SYMBOL.cancelled} cancelled  (blank: not run on that host)`;

export const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
export const took = (r: Pick<RunInfo, 'startedAt' | 'endedAt'>) => (r.startedAt && r.endedAt ? `${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s` : '-');

/** Fixed-width columns, the last one left unpadded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** runs show: a header, then steps × hosts with a status symbol per cell, then every failure with its stderr tail. */
export function renderGrid(r: GetRunResult): string {
  const { run, plan } = r;
  const out = [
    `run #${run.id}  ${run.pipeline}  cluster ${run.clusterName}  ${run.status}${run.statusReason ? ` (${run.statusReason})` : ''}`,
    `created ${when(run.createdAt)} by ${run.createdBy ?? '-'}, started ${when(run.startedAt)}, ended ${when(run.endedAt)}, took ${took(run)}${run.parentRunId ? `, retry of #${run.parentRunId}` : ''}`,
    '',
  ];
  const hosts = plan?.hosts ?? run.hosts;
  const cells = new Map(r.cells.map((c) => [`${c.stepId}\u0000${c.host}`, c]));
  const rows: string[][] = [];
  for (const m of plan?.modules ?? []) {
    rows.push([m.name, ...hosts.map(() => '')]);
    for (const t of m.tasks) {
      for (const s of t.steps) {
        const label = `  ${t.name === s.name ? s.name : `${t.name} › ${s.name}`}`;
        rows.push([label, ...hosts.map((h) => (t.hosts.includes(h) ? SYMBOL[cells.get(`${s.id}\u0000${h}`)?.status ?? 'pending'] : ''))]);
      }
    }
  }
  if (!plan) out.push('(this run has no stored plan)');
  else out.push(table(['STEP', ...hosts], rows).replace(/[ \t]+$/gm, ''), '', LEGEND);
  const stepNames = new Map(plan?.modules.flatMap((m) => m.tasks.flatMap((t) => t.steps.map((s) => [s.id, t.name === s.name ? s.name : `${t.name} › ${s.name}`] as const))) ?? []);
  const failed = r.cells.filter((c) => c.status === 'failed');
  if (failed.length) {
    out.push('', 'failures:');
    for (const c of failed) {
      out.push(`  ✗ ${c.host} / ${stepNames.get(c.stepId) ?? c.stepId}: ${c.errorKind ?? 'failed'}${c.exitCode === null ? '' : ` exit ${c.exitCode}`}: ${c.errorMessage ?? ''}`);
      const tail = (c.stderrTail ?? '').trimEnd();
      if (tail) out.push(...tail.split('\n').slice(-10).map((l) => `      │ ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}
