'use client';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/providers/trpc';
import type { ClusterSpecPublic } from '@/server/contracts/cluster-spec';

export type SavedCluster = { id: number; version: number; spec: ClusterSpecPublic };

/** Loads a saved cluster for a page that changes it: loading and error states, and a draft is sent back to the wizard. */
export function WithSavedCluster({ id, draft, children }: { id: number; draft: string; children: (cluster: SavedCluster) => ReactNode }) {
  const trpc = useTRPC();
  const cluster = useQuery(trpc.clusters.get.queryOptions({ clusterId: id }));
  if (cluster.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>;
  if (cluster.isError) return <p role="alert" className="text-status-failed">{cluster.error.message}</p>;
  const c = cluster.data;
  if (c.draft) return <p role="alert">{draft}</p>;
  return children({ id: c.id, version: c.version, spec: c.spec });
}
