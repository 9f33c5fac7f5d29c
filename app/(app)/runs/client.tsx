'use client';
import { useQuery } from '@tanstack/react-query';
import { PIPELINE_NAMES } from '@/server/contracts/pipelines';
import { RUN_STATUSES, type RunStatus } from '@/server/contracts/status';
import { useTRPC } from '@/components/providers/trpc';
import { RunList, type RunFilter } from '@/components/runs/run-list';
import { Button } from '@/components/ui/button';
import { FilterField, FilterSelect, filterInput, useUrlFilters } from '@/components/ui/url-filters';

function dayStart(s: string | null): number | undefined {
  if (!s) return undefined;
  const t = new Date(`${s}T00:00:00`).getTime();
  return Number.isFinite(t) ? t : undefined;
}

export function RunsHistoryClient() {
  const trpc = useTRPC();
  const { params, set, clear } = useUrlFilters();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const deleted = useQuery(trpc.runs.deletedClusters.queryOptions());
  const pipelines = useQuery({ ...trpc.runs.pipelines.queryOptions(), staleTime: Infinity });
  const to = dayStart(params.get('to'));
  const filter: RunFilter = {
    clusterId: params.get('cluster') ? Number(params.get('cluster')) : undefined,
    deletedCluster: params.get('deleted') || undefined,
    status: (RUN_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as RunStatus) : undefined,
    pipeline: params.get('pipeline') ?? undefined,
    from: dayStart(params.get('from')),
    to: to === undefined ? undefined : to + 86_400_000 - 1,
  };
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Runs</h1>
      <form className="flex flex-wrap items-end gap-3" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <FilterField id="runs-cluster" label="Cluster">
          {/* a deleted cluster's runs keep its name: they are picked by name */}
          <select id="runs-cluster" className={filterInput} value={params.get('deleted') ? `deleted:${params.get('deleted')}` : (params.get('cluster') ?? '')}
            onChange={(e) => { const v = e.target.value; if (v.startsWith('deleted:')) set('deleted', v.slice(8), { cluster: '' }); else set('cluster', v, { deleted: '' }); }}>
            <option value="">all</option>
            {clusters.data?.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            {deleted.data?.length ? (
              <optgroup label="deleted clusters">
                {deleted.data.map((n) => <option key={n} value={`deleted:${n}`}>{n} (deleted)</option>)}
              </optgroup>
            ) : null}
          </select>
        </FilterField>
        <FilterSelect id="runs-status" label="Status" value={params.get('status') ?? ''} onChange={(v) => set('status', v)} options={RUN_STATUSES} />
        <FilterSelect id="runs-pipeline" label="Pipeline" value={params.get('pipeline') ?? ''} onChange={(v) => set('pipeline', v)} options={pipelines.data ?? PIPELINE_NAMES} />
        <FilterField id="runs-from" label="From"><input id="runs-from" type="date" className={filterInput} value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} /></FilterField>
        <FilterField id="runs-to" label="To"><input id="runs-to" type="date" className={filterInput} value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} /></FilterField>
        {params.size > 0 ? <Button variant="ghost" onClick={clear}>Clear filters</Button> : null}
      </form>
      <RunList filter={filter} />
    </div>
  );
}

