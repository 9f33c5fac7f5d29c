'use client';
import { StatusIcon, statusLook } from '@/components/ui/status';
import { formatDuration } from '@/components/ui/format';
import type { CompareCell, Comparison, SideCell } from './compare-model';

const CHANGE: Record<CompareCell['change'], { label: string; className: string }> = {
  same: { label: 'same', className: '' },
  status: { label: 'status changed', className: 'bg-status-failed/10 font-medium' },
  slower: { label: 'slower', className: 'bg-status-cancelled/15' },
  faster: { label: 'faster', className: 'bg-status-succeeded/10' },
  'only-a': { label: 'only in A', className: 'text-zinc-600 dark:text-zinc-400' },
  'only-b': { label: 'only in B', className: 'text-zinc-600 dark:text-zinc-400' },
};

function Side({ c }: { c: SideCell | null }) {
  if (!c) return <span className="text-zinc-500">—</span>;
  return <span className="inline-flex items-center gap-0.5"><StatusIcon status={c.status} still /><span className="sr-only">{statusLook(c.status).label}</span>{c.ms !== null ? <span className="tabular-nums">{formatDuration(c.ms)}</span> : null}</span>;
}

/** Step × host: A → B per cell, the change named in words as well as colour. */
export function CompareTable({ cmp, onlyChanges }: { cmp: Comparison; onlyChanges: boolean }) {
  const rows = onlyChanges ? cmp.rows.filter((r) => r.cells.some((c) => c.change !== 'same')) : cmp.rows;
  if (rows.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="compare-no-changes">No step differs beyond the threshold.</p>;
  return (
    <div role="region" aria-label="Steps by host, run A then run B" tabIndex={0} className="max-h-[70vh] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full border-collapse text-xs" data-testid="compare-table">
        <caption className="sr-only">Each step on each host: run A, then run B, and what changed</caption>
        <thead className="sticky top-0 z-10 bg-white dark:bg-zinc-950">
          <tr><th scope="col" className="px-2 py-1 text-left">Step</th>{cmp.hosts.map((h) => <th key={h} scope="col" className="px-2 py-1 text-left font-mono">{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} className="border-t border-zinc-200 dark:border-zinc-800" data-path={r.path}>
              <th scope="row" className="px-2 py-1 text-left font-normal">{r.path}{r.onlyIn ? <span className="ml-1 rounded border px-1 text-[10px]">only in {r.onlyIn.toUpperCase()}</span> : null}</th>
              {cmp.hosts.map((h) => {
                const c = r.cells.find((x) => x.host === h);
                if (!c) return <td key={h} className="px-2 py-1 text-zinc-500">·</td>;
                const look = CHANGE[c.change];
                const delta = c.a?.ms != null && c.b?.ms != null ? c.b.ms - c.a.ms : null;
                return (
                  <td key={h} className={`whitespace-nowrap px-2 py-1 ${look.className}`} data-host={h} data-change={c.change}>
                    <Side c={c.a} /> <span aria-hidden>→</span><span className="sr-only">then</span> <Side c={c.b} />
                    {c.change !== 'same' ? <span className="block text-[10px]">{look.label}{(c.change === 'slower' || c.change === 'faster') && delta !== null ? ` ${delta > 0 ? '+' : '−'}${formatDuration(Math.abs(delta))}` : ''}</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
