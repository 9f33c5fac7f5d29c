'use client';
import { RequiresAccess } from '@/components/auth/requires-access';
import { AddNodesFlow } from '@/components/clusters/add-nodes/add-nodes-flow';
import { WithSavedCluster } from '@/components/clusters/saved-cluster';

export function AddNodesClient({ id }: { id: number }) {
  return (
    <RequiresAccess procedure="clusters.addNodes" what="Adding nodes">
      <WithSavedCluster id={id} draft="This cluster is a draft: finish it in the wizard before adding nodes.">
        {(cluster) => <AddNodesFlow cluster={cluster} />}
      </WithSavedCluster>
    </RequiresAccess>
  );
}
