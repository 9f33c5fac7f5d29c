import { isIP } from 'node:net';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { hostsByRole } from '../../contracts/spec-hosts';
import type { PkiStore } from './store';
import { certInfo, createCa, issueCert, signedBy } from './x509';
import type { CertRequest, KeyPairPem } from './x509';

export const ETCD_APISERVER_CLIENT = 'apiserver-etcd-client';
export const ETCD_ADMIN_CLIENT = 'admin';
const RENEW_BEFORE_MS = 30 * 86_400_000;

export type EtcdPki = {
  ca: string;
  /** server-<member>, peer-<member>, apiserver-etcd-client, admin */
  certs: ReadonlyMap<string, KeyPairPem>;
  generated: readonly string[];
};

export function etcdMembers(spec: Pick<ClusterSpec, 'hosts'>) {
  return hostsByRole(spec as ClusterSpec).etcd;
}

/** SANs shared by every member certificate: all members' names and addresses, plus loopback. */
export function etcdSans(spec: Pick<ClusterSpec, 'hosts'>): { dnsNames: string[]; ips: string[] } {
  const dns = new Set<string>(['localhost']);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  for (const m of etcdMembers(spec)) {
    dns.add(m.name);
    for (const a of [m.address, m.internalAddress]) {
      if (a === undefined) continue;
      if (isIP(a)) ips.add(a);
      else dns.add(a.toLowerCase());
    }
  }
  return { dnsNames: [...dns].sort(), ips: [...ips].sort() };
}

export function etcdCertRequests(spec: Pick<ClusterSpec, 'hosts'>): Map<string, CertRequest> {
  const sans = etcdSans(spec);
  const out = new Map<string, CertRequest>();
  for (const m of etcdMembers(spec)) {
    out.set(`server-${m.name}`, { commonName: m.name, usage: 'peer', ...sans });
    out.set(`peer-${m.name}`, { commonName: m.name, usage: 'peer', ...sans });
  }
  out.set(ETCD_APISERVER_CLIENT, { commonName: 'kube-apiserver-etcd-client', organization: 'system:masters', usage: 'client' });
  out.set(ETCD_ADMIN_CLIENT, { commonName: 'kubexms-etcd-admin', usage: 'client' });
  return out;
}

async function reusable(pair: KeyPairPem, ca: string, req: CertRequest, now: Date): Promise<boolean> {
  const info = certInfo(pair.cert);
  if (info.notAfter.getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  if (!(await signedBy(pair.cert, ca))) return false;
  const has = (list: string[], want: readonly string[] | undefined) => (want ?? []).every((w) => list.includes(w));
  return has(info.dnsNames, req.dnsNames) && has(info.ips, req.ips);
}

async function load(store: PkiStore, name: string): Promise<KeyPairPem | undefined> {
  const cert = await store.read(`${name}.crt`, false);
  const key = await store.read(`${name}.key`, true);
  return cert && key ? { cert, key } : undefined;
}

async function save(store: PkiStore, name: string, pair: KeyPairPem): Promise<void> {
  await store.write(`${name}.key`, pair.key, true);
  await store.write(`${name}.crt`, pair.cert, false);
}

/** Loads the cluster's etcd PKI, creating the CA once and (re)issuing only certificates that are missing, expiring or lack a SAN. */
export async function ensureEtcdPki(spec: Pick<ClusterSpec, 'hosts'>, store: PkiStore, now = new Date()): Promise<EtcdPki> {
  const generated: string[] = [];
  let ca = await load(store, 'ca');
  if (!ca) {
    ca = await createCa('kubexms-etcd-ca', now);
    await save(store, 'ca', ca);
    generated.push('ca');
  }
  const certs = new Map<string, KeyPairPem>();
  for (const [name, req] of etcdCertRequests(spec)) {
    let pair = await load(store, name);
    if (!pair || !(await reusable(pair, ca.cert, req, now))) {
      pair = await issueCert(ca, req, now);
      await save(store, name, pair);
      generated.push(name);
    }
    certs.set(name, pair);
  }
  return { ca: ca.cert, certs, generated };
}
