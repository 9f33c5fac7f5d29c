'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { RunsChanged } from '@/server/contracts/run-socket';
import { useSocket } from '@/components/providers/socket-provider';
import { useTRPC } from '@/components/providers/trpc';
import { hostLastRuns } from './host-last-run';

/** The last status read, each host's last run, and a refresh that starts a status run; both follow runs:changed. */
export function useClusterDay2(clusterId: number, onError: (message: string) => void) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { socket } = useSocket();
  const status = useQuery(trpc.clusters.status.queryOptions({ clusterId }));
  const runs = useQuery(trpc.runs.list.queryOptions({ clusterId, limit: 50 }));
  const [reading, setReading] = useState<number | null>(null);
  const refresh = useMutation(trpc.runs.start.mutationOptions({ onSuccess: (r) => setReading(r.runId), onError: (e) => onError(e.message) }));

  useEffect(() => {
    if (!socket) return;
    const onChanged = ({ run }: RunsChanged) => {
      if (run.clusterId !== clusterId) return;
      const ended = run.status !== 'queued' && run.status !== 'running';
      if (ended) void qc.invalidateQueries({ queryKey: trpc.runs.list.queryKey({ clusterId, limit: 50 }) });
      if (ended && run.pipeline === 'status') {
        void qc.invalidateQueries({ queryKey: trpc.clusters.status.queryKey({ clusterId }) });
        setReading((r) => (r === run.id ? null : r));
      }
    };
    socket.on('runs:changed', onChanged);
    return () => void socket.off('runs:changed', onChanged);
  }, [socket, qc, trpc, clusterId]);

  const lastRuns = useMemo(() => hostLastRuns(runs.data?.items ?? []), [runs.data]);
  return {
    status: status.data ?? null,
    lastRuns,
    reading: refresh.isPending || reading !== null,
    refresh: () => refresh.mutate({ clusterId, pipeline: 'status' }),
  };
}
