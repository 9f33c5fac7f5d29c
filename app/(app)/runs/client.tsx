'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, type ReactNode } from 'react';
import { PIPELINE_NAMES } from '@/server/contracts/pipelines';
import { RUN_STATUSES, type RunStatus } from '@/server/contracts/status';
import { useTRPC } from '@/components/providers/trpc';
import { RunList, type RunFilter } from '@/components/runs/run-list';
import { Button } from '@/components/ui/button';

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
  // two changes before the URL has updated must both count
  const latest = useRef(params.toString());
  useEffect(() => { latest.current = params.toString(); }, [params]);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(latest.current);
    if (value) next.set(key, value);
    else next.delete(key);
    latest.current = next.toString();
    router.replace(`${pathname}?${latest.current}`);
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
        <Filter id="runs-cluster" label="Cluster">
          <select id="runs-cluster" className={select} value={params.get('cluster') ?? ''} onChange={(e) => set('cluster', e.target.value)}>
            <option value="">all</option>
            {clusters.data?.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Filter>
        <Filter id="runs-status" label="Status">
          <select id="runs-status" className={select} value={params.get('status') ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">all</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Filter>
        <Filter id="runs-pipeline" label="Pipeline">
          <select id="runs-pipeline" className={select} value={params.get('pipeline') ?? ''} onChange={(e) => set('pipeline', e.target.value)}>
            <option value="">all</option>
            {(pipelines.data ?? PIPELINE_NAMES).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </Filter>
        <Filter id="runs-from" label="From"><input id="runs-from" type="date" className={select} value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} /></Filter>
        <Filter id="runs-to" label="To"><input id="runs-to" type="date" className={select} value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} /></Filter>
        {params.size > 0 ? <Button variant="ghost" onClick={() => router.replace(pathname)}>Clear filters</Button> : null}
      </form>
      <RunList filter={filter} />
    </div>
  );
}

function Filter({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs text-zinc-600 dark:text-zinc-400">{label}</label>
      {children}
    </div>
  );
}
