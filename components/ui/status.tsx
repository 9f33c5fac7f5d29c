import type { NodeStatus, RunStatus, StepStatus } from '@/server/contracts/status';

export type AnyStatus = StepStatus | RunStatus | NodeStatus;

const LOOK: Record<AnyStatus, { label: string; icon: string; className: string }> = {
  pending: { label: 'pending', icon: '○', className: 'text-status-pending border-status-pending/40' },
  queued: { label: 'queued', icon: '◷', className: 'text-status-queued border-status-queued/50' },
  running: { label: 'running', icon: '◌', className: 'text-status-running border-status-running/60' },
  succeeded: { label: 'succeeded', icon: '✓', className: 'text-status-succeeded border-status-succeeded/60' },
  skipped: { label: 'skipped', icon: '↷', className: 'text-status-skipped border-status-skipped/60' },
  failed: { label: 'failed', icon: '✕', className: 'text-status-failed border-status-failed/70' },
  'failed-ignored': { label: 'failed (ignored)', icon: '⚠', className: 'text-status-cancelled border-status-cancelled/60' },
  cancelled: { label: 'cancelled', icon: '⊘', className: 'text-status-cancelled border-status-cancelled/60' },
  interrupted: { label: 'interrupted', icon: '⚡', className: 'text-status-interrupted border-status-interrupted/60' },
};

export const CELL_BG: Record<StepStatus, string> = {
  pending: 'bg-zinc-100 dark:bg-zinc-900',
  running: 'bg-status-running/15',
  succeeded: 'bg-status-succeeded/15',
  skipped: 'bg-status-skipped/15',
  failed: 'bg-status-failed/20',
  cancelled: 'bg-status-cancelled/15',
};

export function statusLook(status: AnyStatus) {
  return LOOK[status];
}

export function StatusIcon({ status, className = '', still = false }: { status: AnyStatus; className?: string; still?: boolean }) {
  const look = LOOK[status];
  if (status === 'running' && !still) {
    return <span aria-hidden className={`inline-block size-3 animate-spin rounded-full border-2 border-current border-t-transparent ${look.className} ${className}`} />;
  }
  return <span aria-hidden className={`${look.className} ${className}`}>{look.icon}</span>;
}

export function StatusBadge({ status }: { status: AnyStatus }) {
  const look = LOOK[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}>
      <StatusIcon status={status} />
      <span className="text-zinc-800 dark:text-zinc-200">{look.label}</span>
    </span>
  );
}
