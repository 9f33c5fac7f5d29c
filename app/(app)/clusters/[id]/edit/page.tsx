import { EditClusterClient } from './client';

export default async function EditClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditClusterClient id={Number(id)} />;
}
