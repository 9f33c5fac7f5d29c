'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '@/components/providers/trpc';
import { useCursorPages } from '@/components/providers/use-cursor-pages';
import { Button } from '@/components/ui/button';
import { FilterField, FilterSelect, filterInput, useUrlFilters } from '@/components/ui/url-filters';
import { formatTime } from '@/components/ui/format';

/** a datetime-local value ("2026-12-07T01:30") in the browser's time zone; `end` takes the whole minute */
function minute(s: string | null, end = false): number | undefined {
  if (!s) return undefined;
  const t = new Date(s).getTime();
  return Number.isFinite(t) ? t + (end ? 59_999 : 0) : undefined;
}

export function AuditClient() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const { params, set, clear } = useUrlFilters();
  const facets = useQuery(trpc.audit.facets.queryOptions());
  const filter = {
    actor: params.get('actor') || undefined,
    action: params.get('action') || undefined,
    clusterId: params.get('cluster') ? Number(params.get('cluster')) : undefined,
    from: minute(params.get('from')),
    to: minute(params.get('to'), true),
  };
  const badRange = filter.from !== undefined && filter.to !== undefined && filter.from > filter.to;
  const q = useCursorPages([...trpc.audit.list.pathKey(), { limit: 50, ...filter }], (cursor) => client.audit.list.query({ limit: 50, cursor, ...filter }));
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="audit-actor" label="Who" all="anyone" value={params.get('actor') ?? ''} onChange={(v) => set('actor', v)} options={facets.data?.actors ?? []} />
        <FilterSelect id="audit-action" label="Action" value={params.get('action') ?? ''} onChange={(v) => set('action', v)} options={facets.data?.actions ?? []} />
        <FilterSelect id="audit-cluster" label="Cluster" value={params.get('cluster') ?? ''} onChange={(v) => set('cluster', v)} options={facets.data?.clusters.map((c) => ({ value: c.id, label: c.name })) ?? []} />
        <FilterField id="audit-from" label="From"><input id="audit-from" type="datetime-local" className={filterInput} value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} /></FilterField>
        <FilterField id="audit-to" label="To"><input id="audit-to" type="datetime-local" className={filterInput} value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} aria-invalid={badRange} aria-describedby={badRange ? 'audit-range-error' : undefined} /></FilterField>
        {params.size > 0 ? <Button variant="ghost" onClick={clear}>Clear filters</Button> : null}
      </form>
      {badRange ? <p id="audit-range-error" role="alert" className="text-sm text-red-700 dark:text-red-300">The time range ends before it starts: set “To” after “From”.</p> : q.isPending ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p> : q.isError ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{q.error.message}</p> : rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="audit-empty">{params.size > 0 ? 'No entries match these filters. Clear a filter to see more.' : 'Nothing recorded yet: sign-ins, cluster changes and runs appear here.'}</p>
      ) : (
        <>
          <table className="w-full text-sm" data-testid="audit-list">
            <thead><tr className="text-left text-xs uppercase text-zinc-600 dark:text-zinc-400"><th className="py-1">When</th><th>Who</th><th>Action</th><th>Target</th><th>From</th><th>Detail</th></tr></thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className="border-t border-zinc-200 align-top dark:border-zinc-800" data-testid={`audit-row-${e.id}`} data-action={e.action}>
                  <td className="py-1 pr-2 text-xs whitespace-nowrap">{formatTime(e.at)}</td>
                  <td className="pr-2">{e.actor}</td>
                  <td className="pr-2 font-mono text-xs">{e.action}</td>
                  <td className="pr-2 font-mono text-xs">{e.target ?? ''}</td>
                  <td className="pr-2 text-xs">{e.address ?? ''}</td>
                  <td className="max-w-xl font-mono text-xs">{e.detail ? <Detail detail={e.detail} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.hasNextPage ? <Button onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>{q.isFetchingNextPage ? 'Loading…' : 'Load more'}</Button> : null}
        </>
      )}
    </div>
  );
}

/** One line while closed; the whole JSON, nothing cut, when opened. */
function Detail({ detail }: { detail: Record<string, unknown> }) {
  const line = JSON.stringify(detail);
  return (
    <details data-testid="audit-detail" className="w-full max-w-xl">
      <summary className="cursor-pointer truncate" title="Show the whole detail">{line}</summary>
      <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 dark:bg-zinc-900" data-testid="audit-detail-json">{JSON.stringify(detail, null, 2)}</pre>
    </details>
  );
}

