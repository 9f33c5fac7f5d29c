'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { CompareTable } from '@/components/runs/compare-table';
import { compareRuns } from '@/components/runs/compare-model';
import { formatDuration, formatTime } from '@/components/ui/format';
import { StatusBadge } from '@/components/ui/status';

const idOf = (v: string | null) => (v && /^\d{1,15}$/.test(v) && Number(v) > 0 ? Number(v) : null);

export function CompareClient() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const a = idOf(params.get('a'));
  const b = idOf(params.get('b'));
  const [thresholdS, setThresholdS] = useState(2);
  const [onlyChanges, setOnlyChanges] = useState(true);
  const q = useQuery({ ...trpc.runs.compare.queryOptions({ a: a ?? 1, b: b ?? 1 }), enabled: a !== null && b !== null });
  const cmp = useMemo(() => (q.data ? compareRuns(q.data.a, q.data.b, thresholdS * 1000) : null), [q.data, thresholdS]);

  if (a === null || b === null) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Pick two runs: /runs/compare?a=&lt;run id&gt;&amp;b=&lt;run id&gt; (in the run history, tick two runs and press Compare).</p>;
  if (q.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">{q.error.message}</p>;
  if (!q.data || !cmp) return <p className="text-sm text-zinc-600">Loading runs #{a} and #{b}…</p>;
  const sides = [['A', q.data.a], ['B', q.data.b]] as const;
  return (
    <div className="flex flex-col gap-4" data-testid="compare-page">
      <h1 className="text-2xl font-semibold">Compare run #{a} with #{b}</h1>
      <div className="grid gap-3 md:grid-cols-2">
        {sides.map(([label, s]) => (
          <section key={label} aria-label={`Run ${label}`} className="rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800" data-testid={`compare-side-${label.toLowerCase()}`}>
            <p className="flex flex-wrap items-center gap-2">
              <strong>{label}:</strong> <Link className="font-mono underline" href={`/runs/${s.run.id}`}>#{s.run.id}</Link>
              <span className="font-mono">{s.run.pipeline}</span> on {s.run.clusterName} <StatusBadge status={s.run.status} />
            </p>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              {formatTime(s.run.startedAt ?? s.run.createdAt)}{s.run.startedAt && s.run.endedAt ? ` · took ${formatDuration(s.run.endedAt - s.run.startedAt)}` : ''} · {s.run.hosts.length} host(s)
            </p>
          </section>
        ))}
      </div>
      <ul className="flex flex-wrap gap-3 text-sm" aria-label="Differences" data-testid="compare-counts">
        <li data-count={cmp.counts.status}>{cmp.counts.status} status change(s)</li>
        <li data-count={cmp.counts.slower}>{cmp.counts.slower} slower</li>
        <li data-count={cmp.counts.faster}>{cmp.counts.faster} faster</li>
        <li>{cmp.rows.filter((r) => r.onlyIn === 'a').length} step(s) only in A, {cmp.rows.filter((r) => r.onlyIn === 'b').length} only in B</li>
        <li>hosts only in A: {cmp.hostsOnlyIn.a.join(', ') || 'none'}; only in B: {cmp.hostsOnlyIn.b.join(', ') || 'none'}</li>
      </ul>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-1"><input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} /> only differences</label>
        <label className="flex items-center gap-1">slower/faster beyond
          <input type="number" min={0} max={3600} step={1} value={thresholdS} onChange={(e) => setThresholdS(Math.max(0, Number(e.target.value) || 0))} className="w-16 rounded border border-zinc-300 bg-transparent px-1 dark:border-zinc-700" /> s (and 20%)
        </label>
      </div>
      <CompareTable cmp={cmp} onlyChanges={onlyChanges} />
      <section aria-labelledby="spec-diff-title" className="flex flex-col gap-2" data-testid="spec-diff">
        <h2 id="spec-diff-title" className="font-semibold">Spec differences (secrets removed)</h2>
        {q.data.specChanges.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Both runs used the same spec.</p> : (
          <table className="w-full text-left text-xs [&_td]:px-2 [&_td]:py-1 [&_th]:px-2 [&_th]:py-1">
            <thead><tr><th scope="col">field</th><th scope="col">A (#{a})</th><th scope="col">B (#{b})</th></tr></thead>
            <tbody>
              {q.data.specChanges.map((c) => (
                <tr key={c.path} className="border-t border-zinc-200 font-mono dark:border-zinc-800">
                  <td>{c.path}</td>
                  <td className="bg-status-failed/10">{c.a ?? <em className="font-sans text-zinc-600">absent</em>}</td>
                  <td className="bg-status-succeeded/10">{c.b ?? <em className="font-sans text-zinc-600">absent</em>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
