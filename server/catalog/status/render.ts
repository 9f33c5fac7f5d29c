import type { ClusterStatus, HostStatus } from '../../contracts/cluster-status';

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

function hostLines(h: HostStatus): string[] {
  if (!h.reachable) return [`${h.name} (${h.address}) [${h.roles.join(', ')}]: UNREACHABLE${h.error ? ` — ${h.error}` : ''}`];
  const lines = [`${h.name} (${h.address}) [${h.roles.join(', ')}]: ${h.os ?? 'unknown OS'}, kernel ${h.kernel ?? '?'}`];
  for (const c of h.components) lines.push(`  ${c.name.padEnd(10)} ${(c.installed ?? 'not installed').padEnd(16)} spec ${c.spec.padEnd(10)} ${c.unit ? `${c.unit} ${c.service}` : ''}`.trimEnd());
  if (h.etcd) {
    const e = h.etcd;
    lines.push(`  etcd member ${e.memberId ?? '?'}: ${e.healthy ? 'healthy' : 'UNHEALTHY'}${e.isLeader ? ', leader' : ''}${e.dbSizeBytes !== null ? `, db ${mib(e.dbSizeBytes)}` : ''}${e.error ? ` — ${e.error}` : ''}`);
  }
  for (const c of h.certs) lines.push(`  cert ${c.path}: expires ${c.notAfter.slice(0, 10)} (${c.daysLeft} days)`);
  for (const d of h.disks) lines.push(`  disk ${d.path}: ${mib(d.freeBytes)} free of ${mib(d.sizeBytes)}`);
  return lines;
}

/** The status as text for the CLI: verdict, differences from the spec, then each host. */
export function renderClusterStatus(name: string, s: ClusterStatus): string {
  const when = new Date(s.takenAt).toISOString();
  const head = [`cluster ${name}: ${s.verdict.toUpperCase()} (read ${when}${s.runId ? `, run #${s.runId}` : ''})`];
  const diffs = s.differences.length > 0 ? ['differs from the spec:', ...s.differences.map((d) => `  - ${d}`)] : ['matches the spec'];
  return [...head, ...diffs, '', ...s.hosts.flatMap(hostLines)].join('\n') + '\n';
}
