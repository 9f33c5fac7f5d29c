'use client';
import { sameVersion, type ClusterStatus, type ClusterVerdict, type HostStatus } from '@/server/contracts/cluster-status';
import { GuardedButton } from '@/components/auth/guarded-button';
import { formatTime } from '@/components/ui/format';

const VERDICT_LOOK: Record<ClusterVerdict, string> = {
  installed: 'text-status-succeeded border-status-succeeded/60',
  'partially installed': 'text-status-cancelled border-status-cancelled/60',
  'not installed': 'text-zinc-600 border-zinc-400 dark:text-zinc-300',
  degraded: 'text-status-failed border-status-failed/70',
};

const mib = (bytes: number) => (bytes >= 10 * 1073741824 ? `${(bytes / 1073741824).toFixed(0)} GiB` : `${Math.round(bytes / 1048576)} MiB`);

function HostRow({ h }: { h: HostStatus }) {
  const soonest = [...h.certs].sort((a, b) => a.daysLeft - b.daysLeft)[0];
  return (
    <tr className="border-t border-zinc-200 align-top dark:border-zinc-800" data-testid={`status-host-${h.name}`}>
      <td className="font-mono">{h.name}</td>
      <td>{h.reachable ? <span className="text-xs">{h.os ?? '?'}<span className="block text-zinc-600 dark:text-zinc-400">{h.kernel}</span></span> : <span className="text-status-failed">unreachable</span>}</td>
      <td className="text-xs">
        {h.components.map((c) => {
          const drift = c.installed !== null && !sameVersion(c.installed, c.spec);
          const down = c.unit !== null && c.installed !== null && c.service !== 'active';
          return (
            <span key={c.name} className={`block ${c.installed === null || drift || down ? 'text-status-failed' : ''}`} data-testid={`component-${h.name}-${c.name}`}>
              {c.name} {c.installed ?? 'not installed'} <span className="text-zinc-600 dark:text-zinc-400">(spec {c.spec}){c.unit && c.installed !== null ? ` · ${c.service}` : ''}</span>
            </span>
          );
        })}
      </td>
      <td className="text-xs">
        {h.etcd ? (
          <span className={h.etcd.healthy ? '' : 'text-status-failed'}>
            {h.etcd.healthy ? 'healthy' : 'unhealthy'}{h.etcd.isLeader ? ' · leader' : ''}
            <span className="block font-mono text-zinc-600 dark:text-zinc-400">{h.etcd.memberId ?? '—'}{h.etcd.dbSizeBytes !== null ? ` · db ${mib(h.etcd.dbSizeBytes)}` : ''}</span>
          </span>
        ) : '—'}
      </td>
      <td className="text-xs">{soonest ? <span title={h.certs.map((c) => `${c.path}: ${c.notAfter}`).join('\n')}>{soonest.daysLeft} days <span className="block text-zinc-600 dark:text-zinc-400">{h.certs.length} cert(s)</span></span> : '—'}</td>
      <td className="text-xs">{h.disks.map((d) => <span key={d.path} className="block">{d.path} {mib(d.freeBytes)} free</span>)}</td>
    </tr>
  );
}

export function ClusterStatusPanel({ status, refreshing, onRefresh }: { status: ClusterStatus | null; refreshing: boolean; onRefresh: () => void }) {
  return (
    <section aria-labelledby="status-h" className="flex flex-col gap-2" data-testid="cluster-status">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="status-h" className="text-lg font-semibold">Status</h2>
        {status ? (
          <>
            <span className={`rounded border px-2 text-sm font-medium ${VERDICT_LOOK[status.verdict]}`} data-testid="cluster-verdict">{status.verdict}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">read {formatTime(status.takenAt)}{status.runId ? ` (run #${status.runId})` : ''}</span>
          </>
        ) : <span className="text-sm text-zinc-600 dark:text-zinc-400">not read yet</span>}
        <span className="ml-auto"><GuardedButton procedure="runs.start" onClick={onRefresh} disabled={refreshing}>{refreshing ? 'Reading…' : 'Refresh status'}</GuardedButton></span>
      </div>
      {status && status.differences.length > 0 ? (
        <ul className="list-disc pl-5 text-sm" aria-label="Differences from the spec" data-testid="status-differences">
          {status.differences.map((d) => <li key={d}>{d}</li>)}
        </ul>
      ) : null}
      {status ? (
        <table className="w-full text-sm [&_td]:py-1.5 [&_td]:pr-4 [&_th]:py-1 [&_th]:pr-4 [&_th]:font-medium">
          <thead><tr className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400"><th>Host</th><th>OS</th><th>Components</th><th>etcd</th><th>Certificates</th><th>Disk</th></tr></thead>
          <tbody>{status.hosts.map((h) => <HostRow key={h.name} h={h} />)}</tbody>
        </table>
      ) : null}
    </section>
  );
}
