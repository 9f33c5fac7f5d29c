'use client';
import type { ProbeState } from './use-host-probes';

const SHORT = 'block truncate text-xs';

/** The row's connection status in one line (full text in the title); field problems first. */
export function HostStatus({ index, probe, pinned, errors, onAccept }: { index: number; probe: ProbeState | undefined; pinned: string; errors: string; onAccept: (fp: string) => void }) {
  if (errors) {
    const first = errors.split('\n')[0] ?? '';
    const n = errors.split('\n').length;
    return <span data-testid={`status-${index}`} className={`${SHORT} text-status-failed`} title={errors}>✗ {first}{n > 1 ? ` (+${n - 1})` : ''}</span>;
  }
  if (probe === 'probing') return <span data-testid={`status-${index}`} className={`${SHORT} text-status-running`}>testing…</span>;
  if (!probe) return <span data-testid={`status-${index}`} className={`${SHORT} text-zinc-600 dark:text-zinc-400`}>{pinned ? '✓ key pinned' : 'not tested'}</span>;
  if (!probe.ok) {
    return <span data-testid={`status-${index}`} role="status" className={`${SHORT} text-status-failed`} title={`${probe.kind}: ${probe.message}`}>✗ {probe.kind}: {probe.message}</span>;
  }
  if (probe.matches === false) return <span data-testid={`status-${index}`} role="status" className={`${SHORT} text-status-failed`} title={`pinned ${probe.pinned}, now ${probe.fingerprint}`}>✗ host key changed</span>;
  const f = probe.facts;
  const text = f ? `✓ ${f.os.prettyName} · ${f.cpus} CPU · ${(f.memoryKb / 1024 / 1024).toFixed(1)} GiB` : `✓ ${probe.message ?? 'reachable'}`;
  if (probe.fingerprint !== pinned) {
    return (
      <span data-testid={`status-${index}`} role="status" className="flex items-center gap-1 text-xs">
        <button type="button" className="shrink-0 rounded bg-brand px-1.5 py-0.5 font-medium text-white" onClick={() => onAccept(probe.fingerprint)} title={`accept ${probe.fingerprint}`}
          data-fingerprint={probe.fingerprint}>Accept key</button>
        <span className="truncate" title={`${text} · host key ${probe.fingerprint}`}>{text}</span>
      </span>
    );
  }
  return <span data-testid={`status-${index}`} role="status" className={`${SHORT} text-status-succeeded`} title={text}>{text}</span>;
}
