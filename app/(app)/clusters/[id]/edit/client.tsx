'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/providers/trpc';
import { RequiresAccess } from '@/components/auth/requires-access';
import { ClusterWizard } from '@/components/wizard/cluster-wizard';

export function EditClusterClient({ id }: { id: number }) {
  const trpc = useTRPC();
  const cluster = useQuery(trpc.clusters.get.queryOptions({ clusterId: id }));
  if (cluster.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (cluster.isError) return <p role="alert" className="text-status-failed">{cluster.error.message}</p>;
  const c = cluster.data;
  if (c.draft) return <p role="alert">This cluster is a draft; finish it in the wizard.</p>;
  return (
    <RequiresAccess procedure="clusters.update" what="Editing a cluster">
      <ClusterWizard existing={{ id: c.id, version: c.version, spec: c.spec }} />
    </RequiresAccess>
  );
}
