'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/providers/trpc';
import { AddNodesFlow } from '@/components/clusters/add-nodes/add-nodes-flow';

export function AddNodesClient({ id }: { id: number }) {
  const trpc = useTRPC();
  const cluster = useQuery(trpc.clusters.get.queryOptions({ clusterId: id }));
  if (cluster.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>;
  if (cluster.isError) return <p role="alert" className="text-status-failed">{cluster.error.message}</p>;
  const c = cluster.data;
  if (c.draft) return <p role="alert">This cluster is a draft: finish it in the wizard before adding nodes.</p>;
  return <AddNodesFlow cluster={{ id: c.id, version: c.version, spec: c.spec }} />;
}
