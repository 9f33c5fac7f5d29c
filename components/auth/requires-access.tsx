'use client';
import type { ReactNode } from 'react';
import type { ProcedurePath } from '@/server/contracts/access';
import { useAccess } from './use-access';

/** A page part only for roles that may call `procedure`: others see what it is and why not, and none of its controls. */
export function RequiresAccess({ procedure, what, children }: { procedure: ProcedurePath; what: string; children: ReactNode }) {
  const { role, can } = useAccess();
  if (role === null) return null;
  const { allowed, reason } = can(procedure);
  if (!allowed) return <p role="alert" data-testid="access-refused">{what}: {reason}.</p>;
  return children;
}
