import type { PreflightReportRow } from '@/server/contracts/run-api';

const field = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** RFC 4180: one line per host and check. */
export function preflightCsv(rows: readonly PreflightReportRow[]): string {
  const lines = [['host', 'check', 'status', 'measured', 'expected'], ...rows.map((r) => [r.host, r.check, r.status, r.measured, r.expected])];
  return lines.map((l) => l.map(field).join(',')).join('\r\n') + '\r\n';
}

const SEVERITY = { failed: 0, warning: 1, passed: 2 } as const;

export type ReportSort = { by: 'host' | string; dir: 1 | -1 };

/** Hosts in table order: by name, or by one check's status (failed first) then name. */
export function sortHosts(hosts: readonly string[], byCell: ReadonlyMap<string, PreflightReportRow>, sort: ReportSort): string[] {
  const rank = (h: string) => {
    const r = byCell.get(`${h}|${sort.by}`);
    return r ? SEVERITY[r.status] : 3;
  };
  return hosts.slice().sort((a, b) => (sort.by === 'host' ? a.localeCompare(b, undefined, { numeric: true }) : rank(a) - rank(b) || a.localeCompare(b, undefined, { numeric: true })) * sort.dir);
}
