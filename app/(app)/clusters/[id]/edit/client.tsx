'use client';
import { RequiresAccess } from '@/components/auth/requires-access';
import { WithSavedCluster } from '@/components/clusters/saved-cluster';
import { ClusterWizard } from '@/components/wizard/cluster-wizard';

export function EditClusterClient({ id }: { id: number }) {
  return (
    <RequiresAccess procedure="clusters.update" what="Editing a cluster">
      <WithSavedCluster id={id} draft="This cluster is a draft; finish it in the wizard.">
        {(cluster) => <ClusterWizard existing={cluster} />}
      </WithSavedCluster>
    </RequiresAccess>
  );
}
