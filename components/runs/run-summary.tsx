'use client';
import { useEffect, useState } from 'react';
import type { RunInfo } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { formatDuration, formatTime } from '@/components/ui/format';
import { StatusBadge, StatusIcon } from '@/components/ui/status';

type Counts = Record<StepStatus, number> & { total: number };

export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}

export function RunSummaryBar({ run, counts, now }: { run: RunInfo; counts: Counts; now: number }) {
  const done = counts.succeeded + counts.skipped + counts.failed + counts.cancelled;
  const pct = counts.total ? Math.round((done / counts.total) * 100) : 0;
  const elapsed = run.startedAt ? (run.endedAt ?? now) - run.startedAt : null;
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="run-summary">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <StatusBadge status={run.status} />
        {run.statusReason ? <span className="text-zinc-500" data-testid="run-reason">{run.statusReason}</span> : null}
        <span className="tabular-nums" data-testid="run-progress">{done}/{counts.total} steps · {pct}%</span>
        {elapsed !== null ? <span className="tabular-nums text-zinc-500">elapsed {formatDuration(elapsed)}</span> : null}
        <span className="text-xs text-zinc-500">created {formatTime(run.createdAt)}{run.createdBy ? ` by ${run.createdBy}` : ''}</span>
      </div>
      <div className="flex flex-wrap gap-3 text-xs">
        {(['running', 'succeeded', 'skipped', 'failed', 'cancelled', 'pending'] as const).map((s) => (
          <span key={s} className="inline-flex items-center gap-1" data-testid={`count-${s}`} data-count={counts[s]}><StatusIcon status={s} /> {counts[s]} {s}</span>
        ))}
      </div>
      <div className="h-1.5 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Run progress">
        <div className="h-full bg-status-succeeded transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
