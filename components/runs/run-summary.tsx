'use client';
import { useMemo } from 'react';
import type { RunInfo } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { formatDuration, formatTime } from '@/components/ui/format';
import { StatusBadge, StatusIcon } from '@/components/ui/status';
import { progressOf, type Counts } from './progress';
import { useNow } from './use-now';

export type Eta = { ms: number; runs: number };

const ORDER = ['succeeded', 'skipped', 'failed', 'cancelled', 'running', 'pending'] as const;
const BAR: Partial<Record<StepStatus, string>> = {
  succeeded: 'bg-status-succeeded', skipped: 'bg-status-skipped', failed: 'bg-status-failed', cancelled: 'bg-status-cancelled', running: 'bg-status-running animate-pulse',
};

/** `etaAt`: the time left at a given time (it falls each second), null without history */
export function RunSummaryBar({ run, counts, etaAt }: { run: RunInfo; counts: Counts; etaAt?: ((now: number) => Eta | null) | null }) {
  const { done, pct } = progressOf(counts);
  const live = run.status === 'running' || run.status === 'queued';
  const now = useNow(live);
  const elapsed = run.startedAt ? (run.endedAt ?? now) - run.startedAt : null;
  // once a second, not on every frame of events (it reads every cell)
  const eta = useMemo(() => (live && etaAt ? etaAt(now) : null), [live, etaAt, now]);
  return (
    <section aria-label="Run summary" className="flex flex-col gap-2 rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800" data-testid="run-summary" data-status={run.status}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <StatusBadge status={run.status} />
        <span className="tabular-nums" data-testid="run-progress" data-pct={pct} title="done = succeeded + skipped; the percentage counts steps that ran (done or failed), not cancelled ones">
          {done} done · {counts.failed} failed · {counts.cancelled} cancelled · {counts.pending + counts.running} left of {counts.total} steps · {pct}%
        </span>
        {elapsed !== null ? <span className="tabular-nums text-zinc-600 dark:text-zinc-400">elapsed {formatDuration(elapsed)}</span> : null}
        {live && eta ? <span className="tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="run-eta" title={`median step times of the last ${eta.runs} run(s) of this pipeline on this cluster`}>about {formatDuration(Math.max(eta.ms, 1000))} left</span> : null}
        <ul className="flex flex-wrap gap-3 text-xs" aria-label="Steps by status">
          {ORDER.map((s) => (
            <li key={s} className={`inline-flex items-center gap-1 tabular-nums ${counts[s] ? '' : 'text-zinc-600 dark:text-zinc-400'}`} data-testid={`count-${s}`} data-count={counts[s]}>
              <StatusIcon status={s} still={counts[s] === 0} /> {counts[s]} {s}
            </li>
          ))}
        </ul>
        <span className="ml-auto text-xs text-zinc-600 dark:text-zinc-400">created <time dateTime={new Date(run.createdAt).toISOString()}>{formatTime(run.createdAt)}</time>{run.createdBy ? ` by ${run.createdBy}` : ''}</span>
      </div>
      {run.statusReason && run.status !== 'failed' ? <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="run-reason">{run.statusReason}</p> : null}
      <div className="flex h-1.5 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Run progress">
        {counts.total ? ORDER.filter((s) => BAR[s] && counts[s] > 0).map((s) => (
          <div key={s} className={`h-full ${BAR[s]}`} style={{ width: `${(counts[s] / counts.total) * 100}%` }} />
        )) : null}
      </div>
    </section>
  );
}
