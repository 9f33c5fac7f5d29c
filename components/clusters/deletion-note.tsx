'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import type { RunsChanged } from '@/server/contracts/run-socket';
import type { RunInfo } from '@/server/contracts/run-types';
import { useSocket } from '@/components/providers/socket-provider';
import { useTRPC } from '@/components/providers/trpc';

const box = 'rounded-md border p-2 text-sm';
const live = (s: RunInfo['status']) => s === 'queued' || s === 'running';

/** On the cluster page: a deletion waiting for its reset, or kept because the reset did not succeed (the cluster's latest run). */
export function ClusterDeletionNote({ clusterId }: { clusterId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const key = { clusterId, limit: 10 };
  // the run page may have shown the reset end a moment ago: read again on every visit
  const runs = useQuery({ ...trpc.runs.list.queryOptions(key), refetchOnMount: 'always' });
  useEffect(() => {
    if (!socket) return;
    const onChanged = ({ run }: RunsChanged) => { if (run.clusterId === clusterId) void qc.invalidateQueries({ queryKey: trpc.runs.list.queryKey(key) }); };
    socket.on('runs:changed', onChanged);
    return () => void socket.off('runs:changed', onChanged);
  });
  const last = runs.data?.items.find((r) => r.pipeline !== 'status');
  if (!last?.options.thenDelete) return null;
  const link = <Link className="underline" href={`/runs/${last.id}`}>run #{last.id}</Link>;
  if (live(last.status)) return <p role="status" className={`${box} border-status-running/60`} data-testid="deletion-note">Deleting: the hosts are being reset first ({link}); the cluster is deleted when the reset succeeds.</p>;
  return (
    <p role="alert" className={`${box} border-status-failed/70`} data-testid="deletion-note">
      {last.status === 'succeeded'
        ? <>The reset ({link}) succeeded but the cluster could not be deleted (the audit log says why): the cluster is kept. Delete it again.</>
        : <>The reset before deleting ended <b>{last.status}</b> ({link}): the cluster is kept. Fix what failed and delete again, or delete it without resetting.</>}
    </p>
  );
}

/** On the run page of a reset asked for by a deletion: what happens, or happened, to the cluster. */
export function RunDeletionNote({ run, clusterKept }: { run: RunInfo; clusterKept: boolean | null }) {
  if (!run.options.thenDelete) return null;
  if (live(run.status)) return <p role="status" className={`${box} border-status-running/60`} data-testid="deletion-note">When this reset succeeds, the cluster <b>{run.clusterName}</b> is deleted.</p>;
  if (clusterKept === null) return null;
  if (!clusterKept) return <p role="status" className={`${box} border-status-succeeded/60`} data-testid="deletion-note">The hosts were reset and the cluster <b>{run.clusterName}</b> was deleted. Its runs stay in the history under its name.</p>;
  return (
    <p role="alert" className={`${box} border-status-failed/70`} data-testid="deletion-note">
      The cluster <b>{run.clusterName}</b> was kept: {run.status === 'succeeded' ? 'deleting it failed after the reset (the audit log says why)' : `the reset ended ${run.status}`}.{' '}
      {run.clusterId ? <Link className="underline" href={`/clusters/${run.clusterId}`}>Open the cluster</Link> : null}
    </p>
  );
}
