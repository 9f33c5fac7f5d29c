import { RunClient } from './client';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunClient key={id} runId={Number(id)} />;
}
