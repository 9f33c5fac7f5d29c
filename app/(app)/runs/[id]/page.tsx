import { Suspense } from 'react';
import { RunClient } from './client';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<p className="text-sm text-zinc-600">Loading run…</p>}>
      <RunClient key={id} runId={Number(id)} />
    </Suspense>
  );
}
