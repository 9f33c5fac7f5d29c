import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RunsHistoryClient } from './client';

export const metadata: Metadata = { title: 'Runs · kubexms' };

export default function RunsPage() {
  return (
    <Suspense fallback={<p className="text-sm text-zinc-500">Loading…</p>}>
      <RunsHistoryClient />
    </Suspense>
  );
}
