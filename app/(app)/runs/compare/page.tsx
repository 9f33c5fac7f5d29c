import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CompareClient } from './client';

export const metadata: Metadata = { title: 'Compare runs · kubexms' };

export default function ComparePage() {
  return (
    <Suspense fallback={<p className="text-sm text-zinc-600">Loading…</p>}>
      <CompareClient />
    </Suspense>
  );
}
