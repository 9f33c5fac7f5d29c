import { AddNodesClient } from './client';

export default async function AddNodesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AddNodesClient id={Number(id)} />;
}
