'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { logsDownloadPath } from '@/server/contracts/run-api';
import { useTRPC } from '@/components/providers/trpc';
import { CellPanel } from '@/components/runs/cell-panel';
import { cellParam, findFailure, parseCellParam } from '@/components/runs/failure-focus';
import { FailureSummary } from '@/components/runs/failure-summary';
import { cellKey } from '@/components/runs/grid-model';
import { LogView } from '@/components/runs/log-view';
import { PreflightReport } from '@/components/runs/preflight-report';
import { etaMs } from '@/components/runs/progress';
import { RunGrid, type GridTarget } from '@/components/runs/run-grid';
import { RepeatActions } from '@/components/runs/repeat-actions';
import { RunOrigin } from '@/components/runs/run-origin';
import { RunSummaryBar } from '@/components/runs/run-summary';
import { useNow } from '@/components/runs/use-now';
import { RunTimeline } from '@/components/runs/run-timeline';
import { useLiveRun } from '@/components/runs/use-live-run';
import { GuardedButton } from '@/components/auth/guarded-button';
import { RunDeletionNote } from '@/components/clusters/deletion-note';
import { Button } from '@/components/ui/button';

export function RunClient({ runId }: { runId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { state, version, error, synced } = useLiveRun(runId);
  const [actionError, setActionError] = useState<string | null>(null);
  const details = useQuery(trpc.runs.get.queryOptions({ runId }));
  const onError = (e: { message: string }) => setActionError(e.message);
  const goTo = (r: { runId: number }) => router.push(`/runs/${r.runId}`);
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onError }));

  const run = state.run;
  const active = run?.status === 'running' || run?.status === 'queued';
  const view = params.get('view') === 'timeline' ? 'timeline' : 'grid';
  const selected = parseCellParam(params.get('cell'));
  const setParams = useCallback((changes: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const q = next.toString();
    router.replace(`${pathname}${q ? `?${q}` : ''}`, { scroll: false });
  }, [router, pathname]);
  const select = useCallback((c: GridTarget | null) => setParams({ cell: c ? cellParam(c) : null }), [setParams]);

  const refetchDetails = details.refetch;
  useEffect(() => { if (run && !active) void refetchDetails(); }, [run?.status, active, refetchDetails]);
  const estimate = useQuery({ ...trpc.runs.estimate.queryOptions({ runId }), enabled: active, staleTime: Infinity });
  const [logOpen, setLogOpen] = useState(false);
  const [logHost, setLogHost] = useState('');
  const allLogs = useMemo(() => (logOpen ? state.logs.slice() : []), [logOpen, version, state]);
  // only the timeline needs the time up here; the summary and the running cells have their own clock
  const now = useNow(active && view === 'timeline');
  const counts = state.counts();
  const names = useMemo(() => {
    const m = new Map<string, { step: string; task: string }>();
    for (const mod of state.plan?.modules ?? []) for (const t of mod.tasks) for (const s of t.steps) m.set(s.id, { step: s.name, task: t.name });
    return m;
  }, [state.plan]);

  const failed = run?.status === 'failed' || run?.status === 'interrupted';
  const failure = useMemo(() => (failed && state.plan ? findFailure(state.plan, state.cells, state.nodes) : null), [failed, state, version]);
  const [reveal, setReveal] = useState<(GridTarget & { n: number }) | null>(null);
  const revealed = useRef(false);
  // once per page: open at the linked cell, or at the failure of a failed run
  useEffect(() => {
    // after the details (stderr tail) have loaded, so nothing above the grid grows once it has scrolled
    if (revealed.current || !synced || !state.plan || !run || active || details.isPending) return;
    revealed.current = true;
    const target = selected ?? (failure ? { stepId: failure.stepId, host: failure.host } : null);
    if (!target) return;
    if (!selected) select(target);
    setReveal({ ...target, n: 1 });
  }, [synced, state.plan, run, active, selected, failure, select, details.isPending]);
  const showFailure = () => {
    if (!failure) return;
    select({ stepId: failure.stepId, host: failure.host });
    setReveal((r) => ({ stepId: failure.stepId, host: failure.host, n: (r?.n ?? 0) + 1 }));
  };

  const [following, setFollowing] = useState(true);
  const stopFollowing = useCallback(() => setFollowing(false), []);
  useEffect(() => {
    if (!selected) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !e.defaultPrevented) select(null); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected, select]);

  const plan = state.plan;
  const etaAt = useMemo(() => {
    if (!active || !plan || !estimate.data || estimate.data.runs === 0) return null;
    const { stepMs, runs } = estimate.data;
    return (at: number) => {
      const ms = etaMs(plan, state.cells, stepMs, at);
      return ms === null ? null : { ms, runs };
    };
  }, [active, plan, state, estimate.data]);

  if (error) return <p role="alert" className="text-status-failed">{error}</p>;
  if (!run || !synced && !state.plan) return <p className="text-sm text-zinc-600">Loading run…</p>;
  const sel = selected ? names.get(selected.stepId) : undefined;
  const selCell = selected ? state.cells.get(cellKey(selected.stepId, selected.host)) : undefined;
  const stderrOf = (c: GridTarget | null) => (c ? details.data?.cells.find((x) => x.stepId === c.stepId && x.host === c.host)?.stderrTail ?? null : null);
  const hasPreflight = state.plan?.modules.some((m) => m.name === 'Preflight') ?? false;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Run #{run.id}</h1>
        <span className="font-mono text-sm">{run.pipeline}{run.options.until ? ` (until ${run.options.until})` : ''}</span>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">on {run.clusterId ? <Link className="underline" href={`/clusters/${run.clusterId}`}>{run.clusterName}</Link> : run.clusterName}</span>
        <RunOrigin run={run} compare />
        <div className="ml-auto flex gap-2" data-testid="run-actions">
          {active ? <GuardedButton procedure="runs.cancel" variant="danger" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>Cancel run</GuardedButton> : null}
          {!active ? <RepeatActions run={run} canRerunFailed={counts.failed + counts.cancelled > 0} onStarted={goTo} onError={onError} /> : null}
        </div>
      </div>
      {actionError ? <p role="alert" className="rounded bg-status-failed/10 p-2 text-sm">{actionError}</p> : null}
      <RunDeletionNote run={run} clusterKept={details.data && !active && details.data.run.status === run.status ? details.data.run.clusterId !== null : null} />
      {failed && run.status === 'failed' ? (
        <FailureSummary failure={failure} reason={run.statusReason} stderrTail={failure ? stderrOf(failure) : null} clusterId={run.clusterId} onShow={showFailure} />
      ) : null}
      <RunSummaryBar run={run} counts={counts} etaAt={etaAt} />
      {hasPreflight ? <PreflightReport runId={runId} live={active} defaultOpen={!failed} /> : null}
      <nav aria-label="Run views" className="flex items-center gap-1 text-sm">
        {(['grid', 'timeline'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => setParams({ view: v === 'grid' ? null : v })}
            className={`rounded px-2 py-1 ${view === v ? 'bg-zinc-200 font-medium dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-900'}`}>{v === 'grid' ? 'Grid' : 'Timeline'}</button>
        ))}
        {active && view === 'grid' && !following ? <Button variant="ghost" className="ml-auto" onClick={() => setFollowing(true)}>Follow the running steps</Button> : null}
      </nav>
      {!state.plan ? <p className="text-sm text-zinc-600">The plan is not available for this run.</p> : view === 'timeline' ? (
        <RunTimeline plan={state.plan} cells={state.cells} now={active ? now : (run.endedAt ?? now)} live={active} version={version} onOpenCell={(stepId, host) => { setParams({ view: null, cell: cellParam({ stepId, host }) }); setReveal((r) => ({ stepId, host, n: (r?.n ?? 0) + 1 })); }} />
      ) : (
        <div className={`grid gap-4 ${selected ? 'xl:grid-cols-[minmax(0,1fr)_minmax(380px,40%)]' : ''}`}>
          <RunGrid plan={state.plan} cells={state.cells} rowVersions={state.rowVersions} nodes={state.nodes} rollups={state.rollups.map} selected={selected} reveal={reveal}
            follow={active && following ? state.lastStarted : null} onManualScroll={stopFollowing} markedHost={failure?.host ?? null} onOpenCell={(stepId, host) => select({ stepId, host })} />
          {selected && sel ? (
            <CellPanel runId={runId} state={state} stepId={selected.stepId} host={selected.host} stepName={sel.step} taskName={sel.task} cell={selCell} stderrTail={stderrOf(selected)} onClose={() => select(null)} />
          ) : null}
        </div>
      )}
      <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800" onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer text-sm font-medium">Run log (all hosts)</summary>
        {logOpen ? (
          <div className="mt-2 flex flex-col gap-2">
            <p className="flex flex-wrap items-center gap-2 text-xs">
              <label htmlFor="log-host">Download the log of</label>
              <select id="log-host" value={logHost} onChange={(e) => setLogHost(e.target.value)} className="rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900">
                <option value="">all hosts</option>
                {run.hosts.map((h) => <option key={h} value={h}>{h}</option>)}
              </select>
              <a className="text-brand underline" data-testid="log-download" href={logsDownloadPath(runId, logHost ? { host: logHost } : {})} download>Download</a>
            </p>
            <div className="h-80"><LogView lines={allLogs} showHost isError={(l) => !!l.stepId && !!l.host && state.cells.get(cellKey(l.stepId, l.host))?.status === 'failed'} /></div>
          </div>
        ) : null}
      </details>
      <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">Spec snapshot (secrets removed)</summary>
        <pre tabIndex={0} className="max-h-96 overflow-auto text-xs" data-testid="spec-snapshot">{details.data ? JSON.stringify(details.data.spec, null, 2) : 'Loading…'}</pre>
      </details>
    </div>
  );
}
