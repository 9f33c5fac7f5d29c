import type { Metadata } from 'next';
import { RequiresAccess } from '@/components/auth/requires-access';
import { ClusterWizard } from '@/components/wizard/cluster-wizard';

export const metadata: Metadata = { title: 'New cluster · kubexms' };

export default function NewClusterPage() {
  return (
    <RequiresAccess procedure="clusters.create" what="Describing a cluster">
      <ClusterWizard />
    </RequiresAccess>
  );
}
