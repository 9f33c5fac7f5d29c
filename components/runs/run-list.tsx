'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { RunStatus } from '@/server/contracts/status';
import type { RunInfo } from '@/server/contracts/run-types';
import { useSocket } from '@/components/providers/socket-provider';
import { useTRPC, useTRPCClient } from '@/components/providers/trpc';
import { useCursorPages } from '@/components/providers/use-cursor-pages';
import { Button } from '@/components/ui/button';
import { formatDuration, formatTime } from '@/components/ui/format';
import { StatusBadge } from '@/components/ui/status';
import { RunOrigin } from './run-origin';

export type RunFilter = { clusterId?: number; deletedCluster?: string; status?: RunStatus; pipeline?: string; from?: number; to?: number };

export function RunList({ filter, pageSize = 25 }: { filter: RunFilter; pageSize?: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const client = useTRPCClient();
  const router = useRouter();
  const [picked, setPicked] = useState<number[]>([]);
  const pick = (id: number, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  const query = useCursorPages([...trpc.runs.list.pathKey(), { ...filter, limit: pageSize }], (cursor) => client.runs.list.query({ ...filter, limit: pageSize, cursor }));

  useEffect(() => {
    if (!socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onChanged = () => {
      timer ??= setTimeout(() => { timer = null; void qc.invalidateQueries({ queryKey: trpc.runs.list.pathKey() }); }, 500);
    };
    socket.on('runs:changed', onChanged);
    return () => { socket.off('runs:changed', onChanged); if (timer) clearTimeout(timer); };
  }, [socket, qc, trpc]);

  if (query.isPending) return <p className="text-sm text-zinc-500">Loading runs…</p>;
  if (query.isError) return <p role="alert" className="text-sm text-status-failed">Could not load runs: {query.error.message}</p>;
  const runs = query.data.pages.flatMap((p) => p.items);
  if (runs.length === 0) {
    const narrowed = Object.entries(filter).some(([k, v]) => k !== 'clusterId' && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="runs-empty">
        {narrowed ? 'No runs match these filters. Clear a filter to see more.' : filter.clusterId !== undefined
          ? 'No runs on this cluster yet. Run a preflight to check the hosts, then create the cluster.'
          : <>No runs yet. Open a cluster and run a preflight, or <Link className="text-brand underline" href="/clusters/new">describe a cluster</Link> first.</>}
      </p>
    );
  }
  const [older, newer] = picked.slice().sort((x, y) => x - y);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2 text-sm">
        <Button onClick={() => router.push(`/runs/compare?a=${older}&b=${newer}`)} disabled={picked.length !== 2} data-testid="compare-runs">
          {picked.length === 2 ? `Compare #${older} with #${newer}` : 'Compare two runs'}
        </Button>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">{picked.length === 2 ? '' : `tick ${2 - picked.length} more run(s) to compare`}</span>
      </div>
      <table className="w-full text-sm [&_td]:py-1.5 [&_td]:pr-4 [&_th]:py-1 [&_th]:pr-4 [&_th]:font-medium" data-testid="run-list">
        <thead><tr className="text-left text-xs uppercase tracking-wide text-zinc-500"><th><span className="sr-only">Pick to compare</span></th><th>Run</th><th>Cluster</th><th>Pipeline</th><th>Status</th><th>Steps</th><th>Started</th><th>Duration</th></tr></thead>
        <tbody>{runs.map((r) => <RunRow key={r.id} run={r} picked={picked.includes(r.id)} onPick={pick} />)}</tbody>
      </table>
      {query.hasNextPage ? <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>{query.isFetchingNextPage ? 'Loading…' : 'Load more'}</Button> : null}
    </div>
  );
}

function RunRow({ run, picked, onPick }: { run: RunInfo; picked: boolean; onPick: (id: number, on: boolean) => void }) {
  const t = run.summary.total;
  const done = t.succeeded + t.skipped + t.failed + t.cancelled;
  const all = done + t.pending + t.running;
  return (
    <tr className="border-t border-zinc-200 dark:border-zinc-800" data-testid={`run-row-${run.id}`} data-status={run.status}>
      <td><input type="checkbox" aria-label={`Pick run #${run.id} to compare`} checked={picked} onChange={(e) => onPick(run.id, e.target.checked)} /></td>
      <td><Link className="font-mono text-brand underline-offset-2 hover:underline" href={`/runs/${run.id}`}>#{run.id}</Link><RunOrigin run={run} className="ml-1 text-xs text-zinc-600 dark:text-zinc-400" /></td>
      <td>{run.clusterName}</td>
      <td className="font-mono text-xs">{run.pipeline}</td>
      <td title={run.statusReason ?? undefined}><StatusBadge status={run.status} />{run.statusReason && run.status === 'queued' ? <span className="ml-1 text-xs text-zinc-500">{run.statusReason}</span> : null}</td>
      <td className="text-xs tabular-nums" title={`${done} of ${all} steps finished`}>
        {t.succeeded + t.skipped}/{all} ok
        {t.failed ? <span className="ml-1.5 text-red-700 dark:text-red-300">{t.failed} failed</span> : null}
        {t.cancelled ? <span className="ml-1.5 text-amber-800 dark:text-amber-300">{t.cancelled} cancelled</span> : null}
      </td>
      <td className="text-xs">{formatTime(run.startedAt ?? run.createdAt)}</td>
      <td className="text-xs tabular-nums">{run.startedAt ? formatDuration((run.endedAt ?? Date.now()) - run.startedAt) : ''}</td>
    </tr>
  );
}
