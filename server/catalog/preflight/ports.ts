import type { Listener, ProcessInfo } from './facts';
import type { CheckResult } from './report';

export const DEFAULT_PORTS = {
  'control-plane': [6443, 10257, 10259],
  etcd: [2379, 2380],
  kubelet: [10250],
} as const;

/** Which kubexms component may already hold a port (a rerun): process name (comm, 15 chars max) and its systemd unit if any. */
export const PORT_OWNERS: Readonly<Record<number, { component: string; comm: string; unit?: string }>> = {
  6443: { component: 'kube-apiserver', comm: 'kube-apiserver' },
  10257: { component: 'kube-controller-manager', comm: 'kube-controller' },
  10259: { component: 'kube-scheduler', comm: 'kube-scheduler' },
  2379: { component: 'etcd', comm: 'etcd', unit: 'etcd.service' },
  2380: { component: 'etcd', comm: 'etcd', unit: 'etcd.service' },
  10250: { component: 'kubelet', comm: 'kubelet', unit: 'kubelet.service' },
};

export function requiredPorts(roles: readonly string[]): number[] {
  const ports = new Set<number>();
  if (roles.includes('control-plane')) DEFAULT_PORTS['control-plane'].forEach((p) => ports.add(p));
  if (roles.includes('etcd')) DEFAULT_PORTS.etcd.forEach((p) => ports.add(p));
  if (roles.includes('control-plane') || roles.includes('worker')) DEFAULT_PORTS.kubelet.forEach((p) => ports.add(p));
  return [...ports].sort((a, b) => a - b);
}

function heldByOwnComponent(port: number, l: Listener, processes: ReadonlyMap<number, ProcessInfo>): boolean {
  const owner = PORT_OWNERS[port];
  if (!owner || l.processes.length === 0) return false;
  return l.processes.every((p) => {
    const info = processes.get(p.pid);
    const comm = info?.comm || p.name;
    return comm === owner.comm && (owner.unit === undefined || (info?.cgroup ?? '').endsWith(`/${owner.unit}`));
  });
}

export function evaluatePorts(listeners: readonly Listener[] | null, processes: ReadonlyMap<number, ProcessInfo>, roles: readonly string[]): CheckResult {
  const ports = requiredPorts(roles);
  const expected = ports.length ? `free: ${ports.join(', ')}` : 'no ports needed';
  if (listeners === null) return { check: 'ports', status: 'warning', measured: 'not checked: `ss` (iproute2) is not installed', expected };
  const busy: string[] = [];
  const ours: string[] = [];
  for (const port of ports) {
    const held = listeners.filter((l) => l.port === port);
    if (held.length === 0) continue;
    if (held.every((l) => heldByOwnComponent(port, l, processes))) {
      ours.push(`${port} (${PORT_OWNERS[port]!.component}, already running)`);
      continue;
    }
    const who = held.flatMap((l) => l.processes.map((p) => `${p.name} pid ${p.pid}`));
    busy.push(`${port} in use by ${who.length ? [...new Set(who)].join(', ') : 'an unknown process'}`);
  }
  if (busy.length) return { check: 'ports', status: 'failed', measured: [...busy, ...ours].join('; '), expected };
  const free = ports.length - ours.length;
  return { check: 'ports', status: 'passed', measured: [`${free} of ${ports.length} free`, ...ours].join('; '), expected };
}
