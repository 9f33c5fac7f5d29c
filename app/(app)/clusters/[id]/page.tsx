import { ClusterClient } from './client';

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClusterClient id={Number(id)} />;
}
