import { isIP } from 'node:net';
import { isScalar, isSeq, parseDocument } from 'yaml';
import { audit } from '../../audit/audit';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import type { KubeconfigInput, KubeconfigResult } from '../../contracts/kubeconfig-api';
import { KUBECONFIG_SECRET_PATH } from './kubeconfig';
import { getSecret } from '../../secrets/store';
import { ServiceError } from '../../errors';
import { getClusterStatus } from '../status/cluster-status';
import { savedClusterRow } from './cluster-row';
import type { Actor, Deps } from './deps';

const urlHost = (a: string) => (isIP(a) === 6 ? `[${a}]` : a);

/** A control plane that answered the last status read (kubelet running first), else the endpoint's address, else the first control plane. */
export function defaultServer(spec: ClusterSpecPublic, status: ReturnType<typeof getClusterStatus>): string {
  const port = spec.kubernetes.controlPlaneEndpoint.port;
  const cps = spec.hosts.filter((h) => h.roles.includes('control-plane'));
  const seen = new Map((status?.hosts ?? []).map((h) => [h.name, h]));
  const kubeletUp = (name: string) => seen.get(name)?.components.some((c) => c.name === 'kubelet' && c.service === 'active') === true;
  const reachable = (name: string) => seen.get(name)?.reachable === true;
  const pick = cps.find((h) => kubeletUp(h.name)) ?? cps.find((h) => reachable(h.name));
  const address = pick ? (pick.internalAddress ?? pick.address) : (spec.kubernetes.controlPlaneEndpoint.address ?? cps[0]?.internalAddress ?? cps[0]?.address);
  if (!address) throw new ServiceError('PRECONDITION_FAILED', 'the cluster has no control-plane host');
  return `https://${urlHost(address)}:${port}`;
}

/** Every cluster entry's server replaced in place; the rest of the file (credentials, layout) as kubeadm wrote it. */
export function withServer(kubeconfig: string, server: string): string {
  const doc = parseDocument(kubeconfig);
  const clusters = doc.get('clusters');
  const count = isSeq(clusters) ? clusters.items.length : 0;
  const ranges = Array.from({ length: count }, (_, i) => doc.getIn(['clusters', i, 'cluster', 'server'], true))
    .flatMap((node) => (isScalar(node) && node.range ? [node.range] : []));
  if (ranges.length === 0) throw new ServiceError('PRECONDITION_FAILED', 'the stored kubeconfig has no cluster with a server');
  // a bracketed IPv6 host is not a plain scalar inside a flow mapping: quote what is not plainly safe
  const value = /^[A-Za-z0-9.:/_-]+$/.test(server) ? server : JSON.stringify(server);
  let out = kubeconfig;
  for (const [start, end] of ranges.sort((x, y) => y[0] - x[0])) out = `${out.slice(0, start)}${value}${out.slice(end)}`;
  return out;
}

/** The admin kubeconfig createCluster kept (encrypted), its server rewritten; every download is audited. */
export function downloadKubeconfig(deps: Deps, input: KubeconfigInput, by: Actor): KubeconfigResult {
  const row = savedClusterRow(deps.db, input.clusterId);
  const stored = getSecret(deps.db, deps.secretBox, row.id, KUBECONFIG_SECRET_PATH);
  if (!stored) throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}" has no kubeconfig yet: it is kept once createCluster has run kubeadm init`);
  const server = input.server ?? defaultServer(row.spec as ClusterSpecPublic, getClusterStatus(deps, { clusterId: row.id }));
  const text = withServer(stored, server);
  audit(deps.db, { ...by, action: 'kubeconfig.downloaded', target: row.name, detail: { clusterId: row.id, server, chosen: input.server !== undefined } });
  return { filename: `${row.name}.kubeconfig`, server, text };
}
