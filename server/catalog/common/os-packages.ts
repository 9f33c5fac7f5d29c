import { osFamily, type OsRelease } from './os-release';

/** The OS package that provides each command kubexms needs on a host, per OS family. */
const PACKAGES: Record<string, { debian: string; rhel: string; required: boolean }> = {
  conntrack: { debian: 'conntrack', rhel: 'conntrack-tools', required: true },
  socat: { debian: 'socat', rhel: 'socat', required: true },
  ipset: { debian: 'ipset', rhel: 'ipset', required: true },
  ebtables: { debian: 'ebtables', rhel: 'iptables-ebtables (EL8) or ebtables-legacy (EL9)', required: false },
  iptables: { debian: 'iptables', rhel: 'iptables (EL8) or iptables-nft (EL9)', required: true },
  ip: { debian: 'iproute2', rhel: 'iproute', required: true },
  sysctl: { debian: 'procps', rhel: 'procps-ng', required: true },
  modprobe: { debian: 'kmod', rhel: 'kmod', required: true },
  systemctl: { debian: 'systemd', rhel: 'systemd', required: true },
  sha256sum: { debian: 'coreutils', rhel: 'coreutils', required: true },
};

/** How to install the package that provides `command` on this OS (apt on Debian/Ubuntu, dnf on RHEL-likes). */
export function packageFor(command: string, os: Pick<OsRelease, 'id' | 'idLike'>): string {
  const p = PACKAGES[command];
  if (!p) return command;
  const family = osFamily(os);
  return family === 'rhel' ? `dnf install ${p.rhel}` : family === 'debian' ? `apt install ${p.debian}` : `package ${p.debian} / ${p.rhel}`;
}

/** Whether a missing command fails preflight (unknown commands are required). */
export const commandRequired = (command: string): boolean => PACKAGES[command]?.required ?? true;
