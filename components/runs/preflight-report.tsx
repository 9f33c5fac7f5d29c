'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { PreflightCheckStatus } from '@/server/contracts/run-api';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { preflightCsv, sortHosts, type ReportSort } from './preflight-csv';

const LOOK: Record<PreflightCheckStatus, { icon: string; className: string }> = {
  passed: { icon: '✓', className: 'bg-status-succeeded/10' },
  warning: { icon: '⚠', className: 'bg-status-cancelled/20' },
  failed: { icon: '✕', className: 'bg-status-failed/20 font-semibold' },
};

/** Preflight as a report: one row per host, one column per check (measured vs expected), sortable, exportable as CSV. */
export function PreflightReport({ runId, live, defaultOpen }: { runId: number; live: boolean; defaultOpen: boolean }) {
  const trpc = useTRPC();
  const report = useQuery({ ...trpc.runs.preflightReport.queryOptions({ runId }), refetchInterval: live ? 3000 : false });
  const refetch = report.refetch;
  useEffect(() => { if (!live) void refetch(); }, [live, refetch]);
  const [sort, setSort] = useState<ReportSort>({ by: 'host', dir: 1 });
  const rows = useMemo(() => report.data ?? [], [report.data]);
  const { checks, byCell, hosts } = useMemo(() => ({
    checks: [...new Set(rows.map((r) => r.check))],
    byCell: new Map(rows.map((r) => [`${r.host}|${r.check}`, r])),
    hosts: [...new Set(rows.map((r) => r.host))],
  }), [rows]);
  // a line even before the report has loaded, so the grid below does not move after the page scrolled to a failure
  if (rows.length === 0) {
    return <p className="rounded-lg border border-zinc-200 p-2 text-sm font-medium dark:border-zinc-800" data-testid="preflight-report">Preflight report: {report.isPending ? 'loading…' : 'no check has reported yet'}</p>;
  }
  const ordered = sortHosts(hosts, byCell, sort);
  const failed = rows.filter((r) => r.status === 'failed').length;
  const warnings = rows.filter((r) => r.status === 'warning').length;
  const sortBy = (by: string) => setSort((s) => ({ by, dir: s.by === by ? (s.dir === 1 ? -1 : 1) : 1 }));
  const ariaSort = (by: string) => (sort.by === by ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none');
  const download = () => {
    const url = URL.createObjectURL(new Blob([preflightCsv(rows)], { type: 'text/csv;charset=utf-8' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `run-${runId}-preflight.csv` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const th = 'sticky top-0 z-10 whitespace-nowrap border-b border-zinc-200 bg-white px-2 py-1 text-left text-xs font-semibold dark:border-zinc-800 dark:bg-zinc-950';
  return (
    <details open={defaultOpen} className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-800" data-testid="preflight-report">
      <summary className="cursor-pointer text-sm font-medium">
        Preflight report: {hosts.length} host(s) × {checks.length} checks · <span className={failed ? 'font-semibold text-red-700 dark:text-red-300' : ''}>{failed} failed</span> · {warnings} warning(s)
      </summary>
      <div className="mt-2 flex justify-end"><Button onClick={download}>Export CSV</Button></div>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="w-full border-collapse text-xs">
          <caption className="sr-only">Preflight checks by host: status, measured and expected value</caption>
          <thead>
            <tr>
              <th className={`${th} sticky left-0 z-20`} aria-sort={ariaSort('host')}><button type="button" onClick={() => sortBy('host')}>Host<span aria-hidden>{sort.by === 'host' ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span></button></th>
              {checks.map((c) => <th key={c} className={th} aria-sort={ariaSort(c)}><button type="button" onClick={() => sortBy(c)}>{c}<span aria-hidden>{sort.by === c ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span></button></th>)}
            </tr>
          </thead>
          <tbody>
            {ordered.map((h) => (
              <tr key={h} className="border-b border-zinc-100 dark:border-zinc-900">
                <th scope="row" className="sticky left-0 bg-white px-2 py-1 text-left font-mono font-medium dark:bg-zinc-950">{h}</th>
                {checks.map((c) => {
                  const r = byCell.get(`${h}|${c}`);
                  if (!r) return <td key={c} className="px-2 py-1 text-zinc-500">—</td>;
                  return (
                    <td key={c} className={`px-2 py-1 align-top ${LOOK[r.status].className}`} data-check={c} data-host={h} data-status={r.status}>
                      <span aria-hidden>{LOOK[r.status].icon} </span><span className="sr-only">{r.status}: </span>{r.measured}
                      <span className="block text-[11px] text-zinc-600 dark:text-zinc-400">expected {r.expected}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
