'use client';
import { useId, type ComponentProps } from 'react';
import type { ProcedurePath } from '@/server/contracts/access';
import { Button } from '@/components/ui/button';
import { useAccess } from './use-access';

/** A button for a procedure: disabled, with the reason next to it, when the user's role may not call it (and while the server cannot be reached). */
export function GuardedButton({ procedure, disabled, ...props }: ComponentProps<typeof Button> & { procedure: ProcedurePath }) {
  const { can } = useAccess();
  const { allowed, reason } = can(procedure);
  const id = useId();
  if (allowed) return <Button needsServer {...props} disabled={disabled} />;
  return (
    <span className="inline-flex items-center gap-2">
      <Button {...props} disabled aria-describedby={id} />
      <span id={id} data-testid="denied-reason" className="text-xs text-zinc-600 dark:text-zinc-400">{reason}</span>
    </span>
  );
}
