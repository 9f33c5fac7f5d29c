import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditClient } from './client';

export const metadata: Metadata = { title: 'Audit · kubexms' };

export default function AuditPage() {
  return (
    <Suspense fallback={<p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>}>
      <AuditClient />
    </Suspense>
  );
}
