import { Document, isNode } from 'yaml';
import type { ClusterSpecPublic } from '../contracts/cluster-spec';
import { publicHostCredentials } from '../contracts/spec-host-defaults';
import { hostsByRole } from '../contracts/spec-hosts';
import { KUBEKEY_API_VERSION } from './kubekey-map';
import { KUBE_TUNING_KEYS } from './kubekey-map-more';

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
    // KubeKey has no cluster-wide credentials: each host gets the ones it inherits
    const c = publicHostCredentials(spec, i);
    const out: Record<string, unknown> = {
      name: h.name,
      address: h.address,
      internalAddress: h.internalAddress ?? h.address,
      port: h.port,
      user: c.user,
    };
    if (c.auth?.type === 'password') {
      out.password = '';
      placeholders.push({ path: ['spec', 'hosts', i, 'password'], note: ' secret not exported: SSH password' });
    } else {
      out.privateKeyPath = '';
      placeholders.push({ path: ['spec', 'hosts', i, 'privateKeyPath'], note: ' secret not exported: path to the SSH private key' });
      if (c.sudoPassword?.set) {
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
      controlPlaneEndpoint: {
        domain: k.controlPlaneEndpoint.domain, address: k.controlPlaneEndpoint.address ?? '', port: k.controlPlaneEndpoint.port,
        ...defined({ externalDNS: k.controlPlaneEndpoint.externalDNS, internalLoadbalancer: k.controlPlaneEndpoint.internalLoadbalancer }),
      },
      kubernetes: { version: k.version, clusterName: k.clusterDomain, containerManager: k.containerRuntime, ...defined(pick(k, KUBE_TUNING_KEYS)) },
      etcd: { type: 'kubekey', ...etcdFields(spec.etcd) },
      network: {
        plugin: spec.network.plugin, kubePodsCIDR: spec.network.podCidr, kubeServiceCIDR: spec.network.serviceCidr,
        ...defined({ calico: spec.network.calico, flannel: spec.network.flannel }),
      },
      registry: exportRegistry(spec, placeholders),
      ...(spec.system ? { system: exportSystem(spec.system) } : {}),
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
  const out: Record<string, unknown> = { registryMirrors: mirrors, insecureRegistries, ...defined({ namespaceOverride: spec.registry.namespaceOverride }) };
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

function etcdFields(etcd: ClusterSpecPublic['etcd']): Record<string, unknown> {
  const { type: _type, version: _version, ...tuning } = etcd;
  return Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined));
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const pick = <T extends object>(o: T, keys: readonly string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));

/** Hook materials go back as the file names they were read from; their content stays with kubexms. */
function exportSystem(system: NonNullable<ClusterSpecPublic['system']>): Record<string, unknown> {
  const hooks = (list: typeof system.preInstall) => list.map((h) => ({
    name: h.name, bash: h.bash, ...(h.role ? { role: h.role === 'control-plane' ? 'master' : h.role } : {}), ...(h.materials.length ? { materials: h.materials.map((m) => m.name) } : {}),
  }));
  const { preInstall, postInstall, ...rest } = system;
  return defined({ ...rest, preInstall: preInstall.length ? hooks(preInstall) : undefined, postInstall: postInstall.length ? hooks(postInstall) : undefined });
}
