import type { Metadata } from 'next';
import { AuditClient } from './client';

export const metadata: Metadata = { title: 'Audit · kubexms' };

export default function AuditPage() {
  return <AuditClient />;
}
