'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { logsDownloadPath } from '@/server/contracts/run-api';
import type { RunLogLine } from '@/server/contracts/run-types';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { formatDuration, formatTime } from '@/components/ui/format';
import { StatusBadge } from '@/components/ui/status';
import { connectingText, type GridCell } from './grid-model';
import type { LiveRunState } from './live-run-state';
import { stripAnsi } from './ansi';
import { LogView } from './log-view';

type Props = { runId: number; state: LiveRunState; stepId: string; host: string; stepName: string; taskName: string; cell: GridCell | undefined; stderrTail: string | null; onClose: () => void };

export function CellPanel({ runId, state, stepId, host, stepName, taskName, cell, stderrTail, onClose }: Props) {
  const trpc = useTRPC();
  const history = useQuery({ ...trpc.logs.page.queryOptions({ runId, host, stepId, limit: 5000 }), staleTime: 0 });
  const [live, setLive] = useState<RunLogLine[]>([]);
  useEffect(() => state.onLog((l) => { if (l.host === host && l.stepId === stepId) setLive((prev) => [...prev, l]); }), [state, host, stepId]);
  const lines = useMemo(() => {
    const past = history.data?.lines ?? [];
    const last = past.length ? past[past.length - 1]!.seq : 0;
    return [...past, ...live.filter((l) => l.seq > last)];
  }, [history.data, live]);
  const status = cell?.status ?? 'pending';
  const errTail = useMemo(() => {
    const err = lines.filter((l) => l.stream === 'stderr').slice(-12).map((l) => l.text.replace(/\n$/, '')).join('\n');
    return err || stderrTail;
  }, [lines, stderrTail]);

  return (
    <aside aria-label={`Output of ${stepName} on ${host}`} data-testid="cell-panel" className="flex h-[70vh] flex-col gap-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-start gap-2">
        <div className="min-w-0">
          <p className="text-xs text-zinc-500">{taskName}</p>
          <h2 className="truncate font-medium">{stepName} <span className="font-mono text-sm text-zinc-500">on {host}</span></h2>
        </div>
        <Button variant="ghost" className="ml-auto" onClick={onClose} aria-label="Close output">✕</Button>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <StatusBadge status={status} />
        {cell?.startedAt ? <span>started {formatTime(cell.startedAt)}</span> : null}
        {cell?.startedAt && cell.endedAt ? <span>took {formatDuration(cell.endedAt - cell.startedAt)}</span> : null}
        {cell?.exitCode !== null && cell?.exitCode !== undefined ? <span>exit {cell.exitCode}</span> : null}
        {cell?.attempts && cell.attempts > 1 ? <span>attempt {cell.attempts}</span> : null}
        {status === 'running' && cell?.connecting ? <span role="status" data-testid="cell-connecting">{connectingText(cell.connecting)}</span> : null}
        <a className="ml-auto text-brand underline" href={logsDownloadPath(runId, { host })} download data-testid="host-log-download">Log of {host}</a>
      </div>
      {status === 'failed' || (status === 'cancelled' && cell?.errorMessage) ? (
        <div role="alert" data-testid="cell-error" className="rounded bg-status-failed/10 p-2 text-sm">
          <p><strong className="text-red-700 dark:text-red-300">{cell?.errorKind ?? 'failed'}</strong>: {cell?.errorMessage}</p>
          {errTail ? <pre data-testid="cell-stderr" tabIndex={0} className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap font-mono text-xs">{stripAnsi(errTail)}</pre> : null}
        </div>
      ) : null}
      <div className="min-h-0 flex-1">
        {history.isError ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{history.error.message}</p> : (
          <LogView lines={lines} downloadHref={logsDownloadPath(runId, { host, stepId })} downloadLabel="Log of this step" isError={() => status === 'failed'} emptyText={history.isPending ? 'Loading…' : status === 'pending' ? 'Not started yet.' : 'No output.'} />
        )}
      </div>
    </aside>
  );
}
