'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { CONFIRMED_PIPELINES } from '@/server/contracts/pipelines';
import type { RunInfo } from '@/server/contracts/run-types';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useTRPC } from '@/components/providers/trpc';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

type Mode = 'retry' | 'rerunFailed';
type Props = { run: RunInfo; canRerunFailed: boolean; onStarted: (r: { runId: number }) => void; onError: (e: { message: string }) => void };

const LABEL: Record<Mode, string> = { retry: 'Retry', rerunFailed: 'Rerun failed hosts' };

/**
 * Retry and "Rerun failed hosts" of an ended run. Repeating a pipeline that destroys (node removal, etcd restore) asks
 * for the cluster's name again, as starting it did: the nodes or the data may be other ones by now.
 */
export function RepeatActions({ run, canRerunFailed, onStarted, onError }: Props) {
  const trpc = useTRPC();
  const [asking, setAsking] = useState<Mode | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const started = (r: { runId: number }) => { setAsking(null); onStarted(r); };
  // a refusal while the dialog is open belongs in the dialog (next to the typed name), otherwise on the page
  const failed = (e: { message: string }) => (asking ? setRefusal(e.message) : onError(e));
  const retry = useMutation(trpc.runs.retry.mutationOptions({ onSuccess: started, onError: failed }));
  const rerun = useMutation(trpc.runs.rerunFailed.mutationOptions({ onSuccess: started, onError: failed }));
  const confirmed = CONFIRMED_PIPELINES.has(run.pipeline);
  const go = (mode: Mode, confirmName?: string) => (mode === 'retry' ? retry : rerun).mutate({ runId: run.id, ...(confirmName === undefined ? {} : { confirmName }) });
  const press = (mode: Mode) => {
    if (!confirmed) return go(mode);
    setRefusal(null);
    setAsking(mode);
  };
  const busy = retry.isPending || rerun.isPending;
  return (
    <>
      {run.status !== 'succeeded' ? <GuardedButton procedure="runs.retry" onClick={() => press('retry')} disabled={busy}>{LABEL.retry}</GuardedButton> : null}
      {canRerunFailed ? <GuardedButton procedure="runs.rerunFailed" onClick={() => press('rerunFailed')} disabled={busy}>{LABEL.rerunFailed}</GuardedButton> : null}
      <ConfirmDialog open={asking !== null} title={`${asking ? LABEL[asking] : ''}: ${run.pipeline} on ${run.clusterName}?`} confirmLabel={asking ? LABEL[asking] : ''}
        typeToConfirm={run.clusterName} busy={busy} error={refusal} onConfirm={(typed) => asking && go(asking, typed)} onClose={() => setAsking(null)} testId="repeat-confirm">
        <p>This repeats <b>{run.pipeline === 'removeNodes' ? 'the removal of nodes' : 'the etcd restore'}</b> of run #{run.id}, with the options it had{run.options.nodes?.length ? ` (nodes ${run.options.nodes.join(', ')})` : ''}{run.options.backupId ? ` (backup #${run.options.backupId})` : ''}. It changes the cluster as the first run would.</p>
      </ConfirmDialog>
    </>
  );
}
