import type { YamlPath } from './kubekey-yaml';
import { expandHostRange, missingHostsMessage } from './host-range';
import { etcdTuning } from '../contracts/spec-etcd';
import { KUBE_TUNING_KEYS, mapKubeTuning, mapNetworkExtras, mapSystem, refuseClusterAddons, type MoreHelpers } from './kubekey-map-more';

const ETCD_TUNING_KEYS = Object.keys(etcdTuning) as Array<keyof typeof etcdTuning>;

export const KUBEKEY_API_VERSION = 'kubekey.kubesphere.io/v1alpha2';

type Raw = Record<string, unknown>;
export type MapNote = { path: string; source: YamlPath; message: string };
export type MapResult = {
  input: Raw;
  where: Map<string, YamlPath>;
  errors: MapNote[];
  warnings: MapNote[];
  keyPaths: Map<string, string>;
  placeholders: Set<string>;
};

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const ROLE_GROUPS: Record<string, string> = { etcd: 'etcd', 'control-plane': 'control-plane', master: 'control-plane', worker: 'worker' };
const HOST_KEYS = new Set(['name', 'address', 'internalAddress', 'port', 'user', 'password', 'privateKeyPath', 'privateKey', 'labels', 'hostKeyFingerprint', 'arch', 'timeout']);

export function mapKubeKey(root: unknown, readFile?: (path: string) => string): MapResult {
  const r: MapResult = { input: {}, where: new Map(), errors: [], warnings: [], keyPaths: new Map(), placeholders: new Set() };
  const error = (source: YamlPath, message: string, path = '') => r.errors.push({ path, source, message });
  const warn = (source: YamlPath, message: string, path = '') => r.warnings.push({ path, source, message });
  const ignoreRest = (o: Raw, base: YamlPath, known: readonly string[]) => {
    for (const k of Object.keys(o)) if (!known.includes(k)) warn([...base, k], `"${k}" is not used by kubexms and was ignored`);
  };
  const put = (target: Raw, key: string, value: unknown, path: string, source: YamlPath) => {
    if (value === undefined) return;
    target[key] = value;
    r.where.set(path, source);
  };
  if (!isObj(root)) return error([], 'expected a KubeKey Cluster document (a mapping)'), r;
  if (root.apiVersion !== KUBEKEY_API_VERSION) error(['apiVersion'], `apiVersion must be ${KUBEKEY_API_VERSION}`);
  if (root.kind !== 'Cluster') error(['kind'], 'kind must be Cluster');
  put(r.input, 'name', isObj(root.metadata) ? root.metadata.name : undefined, 'name', ['metadata', 'name']);
  const spec = root.spec;
  if (!isObj(spec)) return error(['spec'], 'spec must be a mapping'), r;

  const hostsRaw = spec.hosts;
  const hosts: Raw[] = [];
  if (!Array.isArray(hostsRaw)) error(['spec', 'hosts'], 'spec.hosts must be a list', 'hosts');
  else hostsRaw.forEach((h, i) => hosts.push(mapHost(h, i)));
  r.input.hosts = hosts;
  r.where.set('hosts', ['spec', 'hosts']);

  function mapHost(h: unknown, i: number): Raw {
    const src: YamlPath = ['spec', 'hosts', i];
    const out: Raw = { roles: [] };
    r.where.set(`hosts.${i}`, src);
    if (!isObj(h)) return error(src, 'each host must be a mapping', `hosts.${i}`), out;
    for (const k of ['name', 'address', 'port', 'user', 'labels', 'hostKeyFingerprint'] as const) put(out, k, h[k], `hosts.${i}.${k}`, [...src, k]);
    if (h.internalAddress !== undefined && h.internalAddress !== h.address && h.internalAddress !== '') {
      put(out, 'internalAddress', h.internalAddress, `hosts.${i}.internalAddress`, [...src, 'internalAddress']);
    }
    for (const k of Object.keys(h)) if (!HOST_KEYS.has(k)) warn([...src, k], `"${k}" is not used by kubexms and was ignored`);
    const name = typeof h.name === 'string' ? h.name : String(i);
    const password = h.password === '' ? undefined : h.password;
    const keyPath = h.privateKeyPath;
    if (h.privateKey !== undefined || keyPath !== undefined || h.password === undefined) {
      out.auth = { type: 'key', privateKey: h.privateKey === '' ? undefined : h.privateKey };
      r.where.set(`hosts.${i}.auth.privateKey`, [...src, h.privateKey !== undefined ? 'privateKey' : 'privateKeyPath']);
      const path = typeof keyPath === 'string' && keyPath !== '' ? keyPath : keyPath === undefined && h.password === undefined ? '~/.ssh/id_rsa' : '';
      if (path) r.keyPaths.set(`hosts.${name}.auth.privateKey`, path);
      // KubeKey uses a host's password for sudo as well.
      if (password !== undefined) put(out, 'sudoPassword', password, `hosts.${i}.sudoPassword`, [...src, 'password']);
      else if (h.password === '') r.placeholders.add(`hosts.${name}.sudoPassword`);
    } else {
      out.auth = { type: 'password', password };
      r.where.set(`hosts.${i}.auth.password`, [...src, 'password']);
      if (h.user !== undefined && h.user !== 'root') {
        if (password === undefined) r.placeholders.add(`hosts.${name}.sudoPassword`);
        else out.sudoPassword = password;
      }
    }
    return out;
  }

  const groups = spec.roleGroups;
  if (groups !== undefined && !isObj(groups)) error(['spec', 'roleGroups'], 'roleGroups must be a mapping');
  if (isObj(groups)) {
    const byName = new Map(hosts.map((h, i) => [h.name, i] as const));
    for (const [group, members] of Object.entries(groups)) {
      const src: YamlPath = ['spec', 'roleGroups', group];
      const role = ROLE_GROUPS[group];
      if (group === 'registry') { warn(src, 'the registry role group is not supported by kubexms and was ignored'); continue; }
      if (!role) { error(src, `unknown role group "${group}": expected etcd, control-plane (or master), worker`); continue; }
      if (!Array.isArray(members)) { error(src, `roleGroups.${group} must be a list of host names`); continue; }
      members.forEach((m, j) => {
        if (typeof m !== 'string') return error([...src, j], 'must be a host name or a range such as node[2:10]');
        const exp = expandHostRange(m);
        if (!exp.ok) return error([...src, j], exp.message);
        const missing: string[] = [];
        for (const name of exp.names) {
          const i = byName.get(name);
          if (i === undefined) { missing.push(name); continue; }
          const roles = hosts[i]?.roles as string[];
          if (!roles.includes(role)) roles.push(role);
          if (!r.where.has(`hosts.${i}.roles`)) r.where.set(`hosts.${i}.roles`, [...src, j]);
        }
        if (missing.length > 0) error([...src, j], missingHostsMessage(m, exp.names, missing));
      });
    }
  }
  mapSections(spec, r, { put, warn, error, ignoreRest, readFile });
  return r;
}

type Helpers = MoreHelpers;

function section(spec: Raw, key: string, h: Helpers): Raw | undefined {
  const v = spec[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) return h.error(['spec', key], `spec.${key} must be a mapping`), undefined;
  return v;
}

function mapSections(spec: Raw, r: MapResult, h: Helpers): void {
  const { put, ignoreRest } = h;
  const k8s: Raw = {};
  const cpe: Raw = {};
  r.input.kubernetes = k8s;
  r.where.set('kubernetes', ['spec', 'kubernetes']);
  const kk = section(spec, 'kubernetes', h);
  if (kk) {
    put(k8s, 'version', kk.version, 'kubernetes.version', ['spec', 'kubernetes', 'version']);
    // KubeKey's clusterName is the cluster DNS domain.
    put(k8s, 'clusterDomain', kk.clusterName, 'kubernetes.clusterDomain', ['spec', 'kubernetes', 'clusterName']);
    put(k8s, 'containerRuntime', kk.containerManager, 'kubernetes.containerRuntime', ['spec', 'kubernetes', 'containerManager']);
    mapKubeTuning(kk, k8s, h);
    ignoreRest(kk, ['spec', 'kubernetes'], ['version', 'clusterName', 'containerManager', ...KUBE_TUNING_KEYS]);
  }
  const ep = section(spec, 'controlPlaneEndpoint', h);
  if (ep) {
    const src = ['spec', 'controlPlaneEndpoint'];
    put(cpe, 'domain', ep.domain, 'kubernetes.controlPlaneEndpoint.domain', [...src, 'domain']);
    if (ep.address !== '') put(cpe, 'address', ep.address, 'kubernetes.controlPlaneEndpoint.address', [...src, 'address']);
    put(cpe, 'port', ep.port, 'kubernetes.controlPlaneEndpoint.port', [...src, 'port']);
    put(cpe, 'externalDNS', ep.externalDNS, 'kubernetes.controlPlaneEndpoint.externalDNS', [...src, 'externalDNS']);
    if (ep.internalLoadbalancer !== '') put(cpe, 'internalLoadbalancer', ep.internalLoadbalancer, 'kubernetes.controlPlaneEndpoint.internalLoadbalancer', [...src, 'internalLoadbalancer']);
    ignoreRest(ep, src, ['domain', 'address', 'port', 'internalLoadbalancer', 'externalDNS']);
  }
  k8s.controlPlaneEndpoint = cpe;
  const etcd = section(spec, 'etcd', h);
  const etcdOut: Raw = {};
  r.input.etcd = etcdOut;
  if (etcd) {
    put(etcdOut, 'type', etcd.type === 'kubekey' ? 'kubexms' : etcd.type, 'etcd.type', ['spec', 'etcd', 'type']);
    for (const k of ETCD_TUNING_KEYS) put(etcdOut, k, k === 'dataDir' && etcd[k] === '' ? undefined : etcd[k], `etcd.${k}`, ['spec', 'etcd', k]);
    if (etcd.external !== undefined) h.error(['spec', 'etcd', 'external'], 'an external etcd is not supported: kubexms installs and manages etcd itself (type: kubekey)');
    ignoreRest(etcd, ['spec', 'etcd'], ['type', 'external', ...ETCD_TUNING_KEYS]);
  }
  const net = section(spec, 'network', h);
  const netOut: Raw = {};
  r.input.network = netOut;
  if (net) {
    put(netOut, 'plugin', net.plugin, 'network.plugin', ['spec', 'network', 'plugin']);
    put(netOut, 'podCidr', net.kubePodsCIDR, 'network.podCidr', ['spec', 'network', 'kubePodsCIDR']);
    put(netOut, 'serviceCidr', net.kubeServiceCIDR, 'network.serviceCidr', ['spec', 'network', 'kubeServiceCIDR']);
    mapNetworkExtras(net, netOut, h);
    ignoreRest(net, ['spec', 'network'], ['plugin', 'kubePodsCIDR', 'kubeServiceCIDR', 'calico', 'flannel', 'multusCNI']);
  }
  mapRegistry(spec, r, h);
  mapExtension(spec, r, h);
  mapSystem(spec, r.input, h);
  refuseClusterAddons(spec, h);
  ignoreRest(spec, ['spec'], ['hosts', 'roleGroups', 'controlPlaneEndpoint', 'kubernetes', 'etcd', 'network', 'registry', 'kubexms', 'system', 'storage', 'addons']);
}

function mapRegistry(spec: Raw, r: MapResult, h: Helpers): void {
  const reg = section(spec, 'registry', h);
  const out: Raw = {};
  r.input.registry = out;
  if (!reg) return;
  const src = ['spec', 'registry'];
  h.put(out, 'mirrors', reg.registryMirrors, 'registry.mirrors', [...src, 'registryMirrors']);
  h.put(out, 'insecureRegistries', reg.insecureRegistries, 'registry.insecureRegistries', [...src, 'insecureRegistries']);
  if (reg.namespaceOverride !== '') h.put(out, 'namespaceOverride', reg.namespaceOverride, 'registry.namespaceOverride', [...src, 'namespaceOverride']);
  const host = reg.privateRegistry;
  if (host !== undefined && host !== '') {
    const auths = isObj(reg.auths) ? reg.auths : {};
    const auth = typeof host === 'string' && isObj(auths[host]) ? (auths[host] as Raw) : {};
    const authSrc = [...src, 'auths', String(host)];
    const pr: Raw = {};
    h.put(pr, 'url', typeof host === 'string' ? `${auth.plainHTTP === true ? 'http' : 'https'}://${host}` : host, 'registry.privateRegistry.url', [...src, 'privateRegistry']);
    h.put(pr, 'username', auth.username, 'registry.privateRegistry.username', [...authSrc, 'username']);
    h.put(pr, 'password', auth.password === '' ? undefined : auth.password, 'registry.privateRegistry.password', [...authSrc, 'password']);
    out.privateRegistry = pr;
    r.where.set('registry.privateRegistry', [...src, 'privateRegistry']);
  }
  h.ignoreRest(reg, src, ['registryMirrors', 'insecureRegistries', 'privateRegistry', 'auths', 'namespaceOverride']);
}

function mapExtension(spec: Raw, r: MapResult, h: Helpers): void {
  const x = section(spec, 'kubexms', h);
  if (!x) return;
  const src = ['spec', 'kubexms'];
  const k8s = r.input.kubernetes as Raw;
  h.put(k8s, 'clusterName', x.clusterName, 'kubernetes.clusterName', [...src, 'clusterName']);
  h.put(r.input.etcd as Raw, 'version', x.etcdVersion, 'etcd.version', [...src, 'etcdVersion']);
  if (x.containerdVersion !== undefined) r.input.containerd = {};
  h.put(r.input.containerd as Raw, 'version', x.containerdVersion, 'containerd.version', [...src, 'containerdVersion']);
  if (x.artifactsMirror !== undefined) r.input.artifacts = {};
  h.put(r.input.artifacts as Raw, 'mirror', x.artifactsMirror, 'artifacts.mirror', [...src, 'artifactsMirror']);
  h.put(r.input, 'preflight', x.preflight, 'preflight', [...src, 'preflight']);
  h.ignoreRest(x, src, ['clusterName', 'etcdVersion', 'containerdVersion', 'artifactsMirror', 'preflight']);
}
