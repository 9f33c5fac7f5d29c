import type { Metadata } from 'next';
import { ClusterWizard } from '@/components/wizard/cluster-wizard';

export const metadata: Metadata = { title: 'New cluster · kubexms' };

export default function NewClusterPage() {
  return <ClusterWizard />;
}
