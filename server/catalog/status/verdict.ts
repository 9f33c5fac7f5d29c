import type { ClusterStatus, ClusterVerdict, HostStatus } from '../../contracts/cluster-status';
import { sameVersion } from '../../contracts/cluster-status';

/** A certificate closer to its end than this is reported as a difference (kubeadm renews at upgrade; etcd's need renewCerts). */
export const CERT_WARN_DAYS = 30;

const bare = (v: string) => v.replace(/^v/, '');

/**
 * installed: every component the spec puts on every host is there at the spec's version and running, etcd healthy;
 * not installed: none of them is on any host that answered; partially installed: some are missing;
 * degraded: all are there but a host is unreachable, a service is down, etcd is unhealthy or a version drifted.
 */
export function judge(hosts: readonly HostStatus[]): Pick<ClusterStatus, 'verdict' | 'differences'> {
  const differences: string[] = [];
  let expected = 0;
  let present = 0;
  let troubled = false;
  for (const h of hosts) {
    if (!h.reachable) {
      troubled = true;
      differences.push(`${h.name}: unreachable${h.error ? ` (${h.error})` : ''}`);
      continue;
    }
    for (const c of h.components) {
      expected++;
      if (c.installed === null) {
        differences.push(`${h.name}: ${c.name} not installed, spec says ${bare(c.spec)}`);
        continue;
      }
      present++;
      if (!sameVersion(c.installed, c.spec)) {
        troubled = true;
        differences.push(`${h.name}: ${c.name} ${bare(c.installed)} installed, spec says ${bare(c.spec)}`);
      }
      if (c.unit && c.service !== 'active') {
        troubled = true;
        differences.push(`${h.name}: ${c.unit} is ${c.service ?? 'unknown'}`);
      }
    }
    const etcdInstalled = h.components.some((c) => c.name === 'etcd' && c.installed !== null);
    if (h.etcd && etcdInstalled && !h.etcd.healthy) {
      troubled = true;
      differences.push(`${h.name}: etcd member unhealthy${h.etcd.error ? ` (${h.etcd.error})` : ''}`);
    }
    for (const cert of h.certs) {
      if (cert.daysLeft < CERT_WARN_DAYS) {
        troubled = true;
        differences.push(`${h.name}: ${cert.path} ${cert.daysLeft < 0 ? `expired ${-cert.daysLeft} days ago` : `expires in ${cert.daysLeft} days`}`);
      }
    }
  }
  const leaders = new Set(hosts.flatMap((h) => (h.etcd?.healthy && h.etcd.leaderId ? [h.etcd.leaderId] : [])));
  if (leaders.size > 1) {
    troubled = true;
    differences.push(`etcd: members disagree on the leader (${[...leaders].join(', ')})`);
  }
  const anyReachable = hosts.some((h) => h.reachable);
  let verdict: ClusterVerdict;
  if (present === 0) verdict = anyReachable ? 'not installed' : 'degraded';
  else if (present < expected) verdict = 'partially installed';
  else verdict = troubled ? 'degraded' : 'installed';
  return { verdict, differences };
}
