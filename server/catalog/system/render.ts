import type { ClusterSpec } from '../../contracts/cluster-spec';

export const CHRONY_CONF = { debian: '/etc/chrony/chrony.conf', rhel: '/etc/chrony.conf' } as const;
export const HOOK_DIR = '/var/lib/kubexms/hooks';
export const TIMEZONE_FILE = '/etc/timezone';

export const renderTimezone = (zone: string) => `${zone}\n`;

type Spec = Pick<ClusterSpec, 'hosts' | 'system'>;
const ipOf = (h: Spec['hosts'][number]) => h.internalAddress ?? h.address;

/**
 * chrony.conf from system.ntpServers, as KubeKey writes it: a name from spec.hosts stands for that host's internal address,
 * and such a host serves time to the other hosts (local stratum 10 + allow), so a cluster without outside NTP still agrees.
 */
export function renderChronyConf(spec: Spec, hostName: string): string {
  const servers = spec.system?.ntpServers ?? [];
  const byName = new Map(spec.hosts.map((h) => [h.name, h] as const));
  const lines = ['# Managed by kubexms (system.ntpServers)'];
  let serves = false;
  for (const s of servers) {
    const h = byName.get(s);
    if (h?.name === hostName) serves = true;
    else lines.push(`server ${h ? ipOf(h) : s} iburst`);
  }
  if (serves) {
    lines.push('local stratum 10');
    for (const h of spec.hosts) if (h.name !== hostName) lines.push(`allow ${ipOf(h)}`);
  }
  lines.push('driftfile /var/lib/chrony/chrony.drift', 'makestep 1.0 3', 'rtcsync', 'logdir /var/log/chrony');
  return `${lines.join('\n')}\n`;
}
