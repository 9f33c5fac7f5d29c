import type { Role } from './spec-host';
import { APISERVER_BIND_PORT } from './spec-sections';
import { contains, formatIpv4, overlaps, parseCidrv4, parseIpv4, type Range } from './spec-net';

export type SpecCore = {
  hosts: ReadonlyArray<{ name: string; address: string; internalAddress?: string | undefined; port: number; roles: readonly Role[]; auth?: unknown }>;
  hostDefaults?: { auth?: unknown } | undefined;
  network: { podCidr: string; serviceCidr: string };
  kubernetes: { controlPlaneEndpoint: { address?: string | undefined; port?: number | undefined; internalLoadbalancer?: string | undefined } };
};
const K8S_ROLES: readonly Role[] = ['control-plane', 'worker'];
// the address field already refused anything that is neither an IP nor a host name, and host names have no ':'
const isIp = (v: string) => parseIpv4(v) !== undefined || v.includes(':');
export type SpecIssue = { path: string; message: string };
type Ctx = { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string; input?: unknown }): void };

export function checkSpec(spec: SpecCore, ctx: Ctx): void {
  for (const issue of crossFieldErrors(spec)) {
    ctx.addIssue({ code: 'custom', path: issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: issue.message });
  }
}

function firstSeen<T>(items: readonly T[], key: (t: T) => string | undefined, report: (i: number, j: number) => void) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const j = seen.get(k);
    if (j === undefined) seen.set(k, i);
    else report(i, j);
  });
}

export function crossFieldErrors(spec: SpecCore): SpecIssue[] {
  const out: SpecIssue[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const { hosts } = spec;
  firstSeen(hosts, (h) => h.name, (i, j) => add(`hosts.${i}.name`, `duplicate host name (same as hosts.${j})`));
  const dupAddr = new Set<number>();
  firstSeen(hosts, (h) => `${h.address.toLowerCase()}|${h.port}`, (i, j) => {
    dupAddr.add(i);
    add(`hosts.${i}.address`, `duplicate address and port (same as hosts.${j})`);
  });
  firstSeen(hosts, (h) => (h.internalAddress ?? h.address).toLowerCase(), (i, j) => {
    if (!dupAddr.has(i)) add(`hosts.${i}.internalAddress`, `same internal address as hosts.${j}; give each host its own internalAddress`);
  });
  if (spec.hostDefaults?.auth === undefined) {
    hosts.forEach((h, i) => {
      if (h.auth === undefined) add(`hosts.${i}.auth`, 'no SSH credentials: give this host its own or set the cluster default credentials');
    });
  }
  for (const role of ['control-plane', 'etcd'] as const) {
    if (!hosts.some((h) => h.roles.includes(role))) add('hosts', `at least one host must have the ${role} role`);
  }
  const cidrs: Array<{ path: string; what: string; range: Range }> = [];
  for (const [key, what, maxPrefix, minPrefix] of [['podCidr', 'pod', 24, 8], ['serviceCidr', 'service', 28, 12]] as const) {
    const value = spec.network[key];
    const c = parseCidrv4(value);
    if (!c) continue;
    const path = `network.${key}`;
    if (!c.aligned) add(path, `host bits are set; did you mean ${formatIpv4(c.start)}/${c.prefix}?`);
    else if (c.prefix > maxPrefix) add(path, `${what} CIDR is too small: at most /${maxPrefix}`);
    else if (c.prefix < minPrefix) add(path, `${what} CIDR is too large: at least /${minPrefix}`);
    else cidrs.push({ path, what, range: c });
  }
  const [pod, svc] = cidrs;
  if (pod && svc && overlaps(pod.range, svc.range)) add('network.serviceCidr', 'service CIDR overlaps the pod CIDR');
  const inCidr = (path: string, value: string | undefined) => {
    const ip = value === undefined ? undefined : parseIpv4(value);
    if (ip === undefined) return;
    const hit = cidrs.find((c) => contains(c.range, ip));
    if (hit) add(path, `${value} lies inside the ${hit.what} CIDR (${spec.network[hit.path === 'network.podCidr' ? 'podCidr' : 'serviceCidr']})`);
  };
  hosts.forEach((h, i) => {
    inCidr(`hosts.${i}.address`, h.address);
    inCidr(`hosts.${i}.internalAddress`, h.internalAddress);
  });
  inCidr('kubernetes.controlPlaneEndpoint.address', spec.kubernetes.controlPlaneEndpoint.address);
  // kubeadm's advertiseAddress and kubelet's --node-ip take an IP, never a name
  hosts.forEach((h, i) => {
    if (!h.roles.some((r) => K8S_ROLES.includes(r))) return;
    const field = h.internalAddress === undefined ? 'address' : 'internalAddress';
    const value = h.internalAddress ?? h.address;
    if (!value.startsWith('\u0000') && !isIp(value)) {
      add(`hosts.${i}.${field}`, `${value} is a host name; a ${h.roles.filter((r) => K8S_ROLES.includes(r)).join('/')} node needs an IP address here (kubelet --node-ip and the API server's advertise address)`);
    }
  });
  const ep = spec.kubernetes.controlPlaneEndpoint;
  if (ep.internalLoadbalancer !== undefined) {
    if (ep.address !== undefined) add('kubernetes.controlPlaneEndpoint.address', `leave the address empty with internalLoadbalancer ${ep.internalLoadbalancer}: every node reaches the API servers through 127.0.0.1`);
    if (ep.port !== undefined && ep.port !== APISERVER_BIND_PORT) {
      add('kubernetes.controlPlaneEndpoint.port', `must be ${APISERVER_BIND_PORT} with internalLoadbalancer ${ep.internalLoadbalancer}: control planes reach their own API server at 127.0.0.1:${APISERVER_BIND_PORT}`);
    }
  }
  return out;
}

export function specWarnings(spec: SpecCore): SpecIssue[] {
  const out: SpecIssue[] = [];
  const etcd = spec.hosts.filter((h) => h.roles.includes('etcd')).length;
  if (etcd > 0 && etcd % 2 === 0) {
    out.push({ path: 'hosts', message: `${etcd} etcd members tolerate no more failures than ${etcd - 1} would; use an odd number` });
  }
  spec.hosts.forEach((h, i) => {
    if (h.roles.length === 0) out.push({ path: `hosts.${i}.roles`, message: 'host has no role and will not be used' });
  });
  return out;
}
