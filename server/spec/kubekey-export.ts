import { Document, isNode } from 'yaml';
import type { ClusterSpecPublic } from '../contracts/cluster-spec';
import { hostsByRole } from '../contracts/spec-hosts';
import { KUBEKEY_API_VERSION } from './kubekey-map';

const HEADER = [
  ' Exported by kubexms. Secrets are never exported: fill in each "password" / "privateKeyPath"',
  ' marked "secret not exported" (and registry auths) before using this file with KubeKey.',
  ' spec.kubexms holds settings KubeKey does not have; KubeKey ignores it.',
].join('\n');

type Path = Array<string | number>;
export type Placeholder = { path: Path; note: string };

/** ClusterSpecPublic → KubeKey v1alpha2 Cluster YAML, without any secret value. */
export function exportKubeKey(spec: ClusterSpecPublic): string {
  const { body, placeholders } = kubekeyBody(spec);
  const doc = new Document(body);
  doc.commentBefore = HEADER;
  for (const { path, note } of placeholders) {
    const node = doc.getIn(path, true);
    if (isNode(node)) node.comment = note;
  }
  return doc.toString({ lineWidth: 0 });
}

/** The plain KubeKey document of a spec, and where its secret placeholders are. */
export function kubekeyBody(spec: ClusterSpecPublic): { body: Record<string, unknown>; placeholders: Placeholder[] } {
  const placeholders: Placeholder[] = [];
  const hosts = spec.hosts.map((h, i) => {
    const out: Record<string, unknown> = {
      name: h.name,
      address: h.address,
      internalAddress: h.internalAddress ?? h.address,
      port: h.port,
      user: h.user,
    };
    if (h.auth.type === 'password') {
      out.password = '';
      placeholders.push({ path: ['spec', 'hosts', i, 'password'], note: ' secret not exported: SSH password' });
    } else {
      out.privateKeyPath = '';
      placeholders.push({ path: ['spec', 'hosts', i, 'privateKeyPath'], note: ' secret not exported: path to the SSH private key' });
      if (h.sudoPassword.set) {
        out.password = '';
        placeholders.push({ path: ['spec', 'hosts', i, 'password'], note: ' secret not exported: sudo password' });
      }
    }
    if (Object.keys(h.labels).length > 0) out.labels = h.labels;
    if (h.hostKeyFingerprint) out.hostKeyFingerprint = h.hostKeyFingerprint;
    return out;
  });
  const byRole = hostsByRole(spec);
  const names = (r: keyof typeof byRole) => byRole[r].map((h) => h.name);
  const k = spec.kubernetes;
  const body = {
    apiVersion: KUBEKEY_API_VERSION,
    kind: 'Cluster',
    metadata: { name: spec.name },
    spec: {
      hosts,
      roleGroups: { etcd: names('etcd'), 'control-plane': names('control-plane'), worker: names('worker') },
      controlPlaneEndpoint: { domain: k.controlPlaneEndpoint.domain, address: k.controlPlaneEndpoint.address ?? '', port: k.controlPlaneEndpoint.port },
      kubernetes: { version: k.version, clusterName: k.clusterDomain, containerManager: k.containerRuntime },
      etcd: { type: 'kubekey' },
      network: { plugin: spec.network.plugin, kubePodsCIDR: spec.network.podCidr, kubeServiceCIDR: spec.network.serviceCidr },
      registry: exportRegistry(spec, placeholders),
      kubexms: {
        clusterName: k.clusterName,
        etcdVersion: spec.etcd.version,
        containerdVersion: spec.containerd.version,
        ...(spec.artifacts.mirror ? { artifactsMirror: spec.artifacts.mirror } : {}),
        preflight: spec.preflight,
      },
    },
  };
  return { body, placeholders };
}

function exportRegistry(spec: ClusterSpecPublic, placeholders: Placeholder[]): Record<string, unknown> {
  const { mirrors, insecureRegistries, privateRegistry } = spec.registry;
  const out: Record<string, unknown> = { registryMirrors: mirrors, insecureRegistries };
  if (!privateRegistry) return out;
  const url = new URL(privateRegistry.url);
  const host = `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  out.privateRegistry = host;
  const auth: Record<string, unknown> = {};
  if (url.protocol === 'http:') auth.plainHTTP = true;
  if (privateRegistry.username !== undefined) {
    auth.username = privateRegistry.username;
    auth.password = '';
    placeholders.push({ path: ['spec', 'registry', 'auths', host, 'password'], note: ' secret not exported: registry password' });
  }
  if (Object.keys(auth).length > 0) out.auths = { [host]: auth };
  return out;
}
