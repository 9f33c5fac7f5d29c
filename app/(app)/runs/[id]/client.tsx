'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { logsDownloadPath } from '@/server/contracts/run-api';
import { useTRPC } from '@/components/providers/trpc';
import { CellPanel } from '@/components/runs/cell-panel';
import { cellKey } from '@/components/runs/grid-model';
import { LogView } from '@/components/runs/log-view';
import { RunGrid } from '@/components/runs/run-grid';
import { RunSummaryBar, useNow } from '@/components/runs/run-summary';
import { useLiveRun } from '@/components/runs/use-live-run';
import { GuardedButton } from '@/components/auth/guarded-button';

export function RunClient({ runId }: { runId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { state, version, error, synced } = useLiveRun(runId);
  const [selected, setSelected] = useState<{ stepId: string; host: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const details = useQuery(trpc.runs.get.queryOptions({ runId }));
  const onError = (e: { message: string }) => setActionError(e.message);
  const goTo = (r: { runId: number }) => router.push(`/runs/${r.runId}`);
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onError }));
  const retry = useMutation(trpc.runs.retry.mutationOptions({ onSuccess: goTo, onError }));
  const rerun = useMutation(trpc.runs.rerunFailed.mutationOptions({ onSuccess: goTo, onError }));

  const run = state.run;
  const active = run?.status === 'running' || run?.status === 'queued';
  const refetchDetails = details.refetch;
  useEffect(() => { if (run && !active) void refetchDetails(); }, [run?.status, active, refetchDetails]);
  const [logOpen, setLogOpen] = useState(false);
  const allLogs = useMemo(() => (logOpen ? state.logs.slice() : []), [logOpen, version, state]);
  const now = useNow(active);
  const counts = state.counts();
  const names = useMemo(() => {
    const m = new Map<string, { step: string; task: string }>();
    for (const mod of state.plan?.modules ?? []) for (const t of mod.tasks) for (const s of t.steps) m.set(s.id, { step: s.name, task: t.name });
    return m;
  }, [state.plan]);

  if (error) return <p role="alert" className="text-status-failed">{error}</p>;
  if (!run || !synced && !state.plan) return <p className="text-sm text-zinc-500">Loading run…</p>;
  const sel = selected ? names.get(selected.stepId) : undefined;
  const selCell = selected ? state.cells.get(cellKey(selected.stepId, selected.host)) : undefined;
  const stderrTail = selected ? details.data?.cells.find((c) => c.stepId === selected.stepId && c.host === selected.host)?.stderrTail ?? null : null;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Run #{run.id}</h1>
        <span className="font-mono text-sm">{run.pipeline}{run.options.until ? ` (until ${run.options.until})` : ''}</span>
        <span className="text-sm text-zinc-500">on {run.clusterId ? <Link className="underline" href={`/clusters/${run.clusterId}`}>{run.clusterName}</Link> : run.clusterName}</span>
        {run.parentRunId ? <Link className="text-sm underline" href={`/runs/${run.parentRunId}`}>retry of #{run.parentRunId}</Link> : null}
        <div className="ml-auto flex gap-2">
          {active ? <GuardedButton procedure="runs.cancel" variant="danger" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>Cancel run</GuardedButton> : null}
          {!active && run.status !== 'succeeded' ? <GuardedButton procedure="runs.retry" onClick={() => retry.mutate({ runId })} disabled={retry.isPending}>Retry</GuardedButton> : null}
          {!active && counts.failed + counts.cancelled > 0 ? <GuardedButton procedure="runs.rerunFailed" onClick={() => rerun.mutate({ runId })} disabled={rerun.isPending}>Rerun failed hosts</GuardedButton> : null}
        </div>
      </div>
      {actionError ? <p role="alert" className="rounded bg-status-failed/10 p-2 text-sm">{actionError}</p> : null}
      <RunSummaryBar run={run} counts={counts} now={now} />
      {state.plan ? (
        <div className={`grid gap-4 ${selected ? 'xl:grid-cols-[minmax(0,1fr)_minmax(380px,40%)]' : ''}`}>
          <RunGrid plan={state.plan} cells={state.cells} nodes={state.nodes} now={now} selected={selected} onOpenCell={(stepId, host) => setSelected({ stepId, host })} />
          {selected && sel ? (
            <CellPanel runId={runId} state={state} stepId={selected.stepId} host={selected.host} stepName={sel.step} taskName={sel.task} cell={selCell} stderrTail={stderrTail} onClose={() => setSelected(null)} />
          ) : null}
        </div>
      ) : <p className="text-sm text-zinc-500">The plan is not available for this run.</p>}
      <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800" onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer text-sm font-medium">Run log (all hosts)</summary>
        {logOpen ? <div className="mt-2 h-80"><LogView lines={allLogs} showHost downloadHref={logsDownloadPath(runId)} /></div> : null}
      </details>
      <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">Spec snapshot (secrets removed)</summary>
        <pre className="max-h-96 overflow-auto text-xs" data-testid="spec-snapshot">{details.data ? JSON.stringify(details.data.spec, null, 2) : 'Loading…'}</pre>
      </details>
    </div>
  );
}
