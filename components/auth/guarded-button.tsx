'use client';
import { useId, type ComponentProps } from 'react';
import type { ProcedurePath } from '@/server/contracts/access';
import { Button } from '@/components/ui/button';
import { useAccess } from './use-access';

type Props = ComponentProps<typeof Button> & { procedure: ProcedurePath; blockedReason?: string | null | undefined };

/**
 * A button for a procedure: disabled, with the reason next to it, when the user's role may not call it, or when
 * `blockedReason` says why this one case is refused (and while the server cannot be reached).
 */
export function GuardedButton({ procedure, disabled, blockedReason, ...props }: Props) {
  const { can } = useAccess();
  const { allowed, reason } = can(procedure);
  const id = useId();
  const why = allowed ? blockedReason : reason;
  if (!why) return <Button needsServer {...props} disabled={disabled} />;
  return (
    <span className="inline-flex items-center gap-2">
      <Button {...props} disabled aria-describedby={id} />
      <span id={id} data-testid="denied-reason" className="text-xs text-zinc-600 dark:text-zinc-400">{why}</span>
    </span>
  );
}
