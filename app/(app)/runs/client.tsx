'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { RUN_STATUSES, type RunStatus } from '@/server/contracts/status';
import { useTRPC } from '@/components/providers/trpc';
import { RunList, type RunFilter } from '@/components/runs/run-list';
import { Button } from '@/components/ui/button';

const PIPELINES = ['createCluster', 'preflightOnly', 'resetCluster', 'addNodes'];

function dayStart(s: string | null): number | undefined {
  if (!s) return undefined;
  const t = new Date(`${s}T00:00:00`).getTime();
  return Number.isFinite(t) ? t : undefined;
}

export function RunsHistoryClient() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const pipelines = useQuery({ ...trpc.runs.pipelines.queryOptions(), staleTime: Infinity });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next.toString()}`);
  };
  const to = dayStart(params.get('to'));
  const filter: RunFilter = {
    clusterId: params.get('cluster') ? Number(params.get('cluster')) : undefined,
    status: (RUN_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as RunStatus) : undefined,
    pipeline: params.get('pipeline') ?? undefined,
    from: dayStart(params.get('from')),
    to: to === undefined ? undefined : to + 86_400_000 - 1,
  };
  const select = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Runs</h1>
      <form className="flex flex-wrap items-end gap-3" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">Cluster
          <select className={select} value={params.get('cluster') ?? ''} onChange={(e) => set('cluster', e.target.value)}>
            <option value="">all</option>
            {clusters.data?.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">Status
          <select className={select} value={params.get('status') ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">all</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">Pipeline
          <select className={select} value={params.get('pipeline') ?? ''} onChange={(e) => set('pipeline', e.target.value)}>
            <option value="">all</option>
            {(pipelines.data ?? PIPELINES).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">From<input type="date" className={select} value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} /></label>
        <label className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">To<input type="date" className={select} value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} /></label>
        {params.size > 0 ? <Button variant="ghost" onClick={() => router.replace(pathname)}>Clear filters</Button> : null}
      </form>
      <RunList filter={filter} />
    </div>
  );
}
