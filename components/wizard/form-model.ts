import type { ClusterSpecDraft, ClusterSpecPublic, Role } from '@/server/contracts/cluster-spec';
import { DEFAULT_CONTAINERD_VERSION, DEFAULT_ETCD_VERSION, DEFAULT_KUBERNETES_VERSION } from '@/server/contracts/versions';

/** SSH credentials as typed; secrets are write-only (empty = keep what the server holds, see `stored`). */
export type Credentials = {
  user: string;
  authType: 'key' | 'password';
  privateKey: string;
  passphrase: string;
  password: string;
  sudoPassword: string;
  /** which write-only secrets the server already holds (edit mode) */
  stored: { privateKey: boolean; passphrase: boolean; password: boolean; sudoPassword: boolean };
};

/** user '' = the default user; useDefaults: the cluster-wide key/password (and its sudo password unless the row has one). */
export type HostRow = Credentials & {
  key: string;
  name: string;
  address: string;
  internalAddress: string;
  port: string;
  useDefaults: boolean;
  labels: string;
  roles: Role[];
  hostKeyFingerprint: string;
};

export type WizardForm = {
  name: string;
  kubernetesVersion: string;
  clusterName: string;
  clusterDomain: string;
  endpointDomain: string;
  endpointAddress: string;
  endpointPort: string;
  internalLoadbalancer: '' | 'haproxy';
  etcdVersion: string;
  containerdVersion: string;
  plugin: 'calico' | 'flannel';
  podCidr: string;
  serviceCidr: string;
  mirrors: string;
  insecureRegistries: string;
  privateRegistryUrl: string;
  privateRegistryUser: string;
  privateRegistryPassword: string;
  privateRegistryPasswordStored: boolean;
  artifactsMirror: string;
  firewall: 'disable' | 'check' | 'ignore';
  minimums: Minimums;
  /** the cluster-wide credentials hosts inherit (spec.hostDefaults) */
  defaults: Credentials;
  hosts: HostRow[];
  /** spec fields the form has no input for (KubeKey tuning, system, …): carried through unchanged so a save never drops them */
  carry?: Carried;
};

export type Carried = { kubernetes: Record<string, unknown>; endpoint: Record<string, unknown>; etcd: Record<string, unknown>; network: Record<string, unknown>; registry: Record<string, unknown>; system?: unknown };

const omit = (o: object, keys: readonly string[]) => Object.fromEntries(Object.entries(o).filter(([k, v]) => !keys.includes(k) && v !== undefined));

export function carriedOf(spec: ClusterSpecPublic): Carried {
  return {
    kubernetes: omit(spec.kubernetes, ['version', 'clusterName', 'clusterDomain', 'containerRuntime', 'controlPlaneEndpoint']),
    endpoint: omit(spec.kubernetes.controlPlaneEndpoint, ['domain', 'address', 'port']),
    etcd: omit(spec.etcd, ['type', 'version']),
    network: omit(spec.network, ['plugin', 'podCidr', 'serviceCidr']),
    registry: omit(spec.registry, ['mirrors', 'insecureRegistries', 'privateRegistry']),
    ...(spec.system ? { system: spec.system } : {}),
  };
}

/** Preflight thresholds, as typed (strings) so a half-typed number is still editable. */
export type Minimums = { minCpuControlPlane: string; minMemControlPlaneMb: string; minCpuWorker: string; minMemWorkerMb: string; minDiskGb: string; maxTimeSkewSeconds: string };
export const MINIMUM_KEYS = ['minCpuControlPlane', 'minMemControlPlaneMb', 'minCpuWorker', 'minMemWorkerMb', 'minDiskGb', 'maxTimeSkewSeconds'] as const;
const DEFAULT_MINIMUMS: Minimums = { minCpuControlPlane: '2', minMemControlPlaneMb: '2048', minCpuWorker: '1', minMemWorkerMb: '1024', minDiskGb: '10', maxTimeSkewSeconds: '30' };

let counter = 0;
export const newKey = () => `h${Date.now().toString(36)}${(counter++).toString(36)}`;

const NOTHING_STORED: Credentials['stored'] = { privateKey: false, passphrase: false, password: false, sudoPassword: false };

export function emptyCredentials(partial: Partial<Credentials> = {}): Credentials {
  return { user: 'root', authType: 'key', privateKey: '', passphrase: '', password: '', sudoPassword: '', stored: NOTHING_STORED, ...partial };
}

export function emptyHost(partial: Partial<HostRow> = {}): HostRow {
  return {
    ...emptyCredentials({ user: '' }), key: newKey(), name: '', address: '', internalAddress: '', port: '22', useDefaults: true,
    labels: '', roles: [], hostKeyFingerprint: '', ...partial,
  };
}

export function emptyForm(): WizardForm {
  return {
    name: '', kubernetesVersion: DEFAULT_KUBERNETES_VERSION, clusterName: 'kubernetes', clusterDomain: 'cluster.local',
    endpointDomain: 'lb.kubexms.local', endpointAddress: '', endpointPort: '6443', internalLoadbalancer: '', etcdVersion: DEFAULT_ETCD_VERSION,
    containerdVersion: DEFAULT_CONTAINERD_VERSION, plugin: 'calico', podCidr: '10.233.64.0/18', serviceCidr: '10.233.0.0/18',
    mirrors: '', insecureRegistries: '', privateRegistryUrl: '', privateRegistryUser: '', privateRegistryPassword: '',
    privateRegistryPasswordStored: false, artifactsMirror: '', firewall: 'check', minimums: { ...DEFAULT_MINIMUMS }, defaults: emptyCredentials(), hosts: [emptyHost()],
  };
}

const lines = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
const secret = (value: string, _stored: boolean) => (value !== '' ? value : undefined);

export function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of lines(s)) {
    const eq = part.indexOf('=');
    if (eq === -1) out[part] = '';
    else out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function authInput(c: Credentials) {
  return c.authType === 'key'
    ? { type: 'key' as const, privateKey: secret(c.privateKey, c.stored.privateKey), passphrase: secret(c.passphrase, c.stored.passphrase) }
    : { type: 'password' as const, password: secret(c.password, c.stored.password) };
}

/** What a host row connects with: its own credentials or the cluster's defaults. */
export function effectiveCredentials(h: HostRow, defaults: Credentials): Credentials {
  const user = h.user.trim() || defaults.user;
  if (!h.useDefaults) return { ...h, user };
  return { ...defaults, user, sudoPassword: h.sudoPassword || defaults.sudoPassword, stored: { ...defaults.stored, sudoPassword: h.stored.sudoPassword || defaults.stored.sudoPassword } };
}

/** The form as the spec the server validates; field paths of errors map back by host index. */
export function toSpecInput(f: WizardForm): ClusterSpecDraft {
  const c = f.carry;
  const d = f.defaults ?? emptyCredentials();
  const login = f.hosts.some((h) => h.useDefaults);
  const user = login || f.hosts.some((h) => h.user.trim() === '');
  return {
    name: f.name.trim(),
    ...(user ? { hostDefaults: { user: d.user.trim(), ...(login ? { auth: authInput(d), sudoPassword: secret(d.sudoPassword, d.stored.sudoPassword) } : {}) } } : {}),
    ...(c?.system ? { system: c.system as ClusterSpecDraft['system'] } : {}),
    kubernetes: {
      ...c?.kubernetes,
      version: f.kubernetesVersion.trim(),
      clusterName: f.clusterName.trim(),
      clusterDomain: f.clusterDomain.trim(),
      containerRuntime: 'containerd',
      controlPlaneEndpoint: {
        ...c?.endpoint, domain: f.endpointDomain.trim(), address: opt(f.endpointAddress), port: num(f.endpointPort),
        internalLoadbalancer: f.internalLoadbalancer || undefined,
      },
    },
    etcd: { ...c?.etcd, type: 'kubexms', version: f.etcdVersion.trim() },
    containerd: { version: f.containerdVersion.trim() },
    network: { ...c?.network, plugin: f.plugin, podCidr: f.podCidr.trim(), serviceCidr: f.serviceCidr.trim() },
    registry: {
      ...c?.registry,
      mirrors: lines(f.mirrors),
      insecureRegistries: lines(f.insecureRegistries),
      privateRegistry: opt(f.privateRegistryUrl)
        ? { url: f.privateRegistryUrl.trim(), username: opt(f.privateRegistryUser), password: secret(f.privateRegistryPassword, f.privateRegistryPasswordStored) }
        : undefined,
    },
    artifacts: { mirror: opt(f.artifactsMirror) },
    preflight: { firewall: f.firewall, ...Object.fromEntries(MINIMUM_KEYS.map((k) => [k, num((f.minimums ?? DEFAULT_MINIMUMS)[k])])) },
    hosts: f.hosts.map((h) => ({
      name: h.name.trim(),
      address: h.address.trim(),
      internalAddress: opt(h.internalAddress),
      port: num(h.port),
      user: opt(h.user),
      auth: h.useDefaults ? undefined : authInput(h),
      sudoPassword: secret(h.sudoPassword, h.stored.sudoPassword),
      labels: parseLabels(h.labels),
      roles: h.roles,
      hostKeyFingerprint: opt(h.hostKeyFingerprint),
    })),
  };
}

type PublicCreds = { user?: string | undefined; auth?: ClusterSpecPublic['hosts'][number]['auth']; sudoPassword?: { set: boolean } | undefined };
function credentialsOf(c: PublicCreds): Partial<Credentials> {
  return {
    user: c.user ?? '', authType: c.auth?.type ?? 'key',
    stored: {
      privateKey: c.auth?.type === 'key' && c.auth.privateKey.set,
      passphrase: c.auth?.type === 'key' && c.auth.passphrase.set,
      password: c.auth?.type === 'password' && c.auth.password.set,
      sudoPassword: c.sudoPassword?.set ?? false,
    },
  };
}

export function fromPublicSpec(spec: ClusterSpecPublic): WizardForm {
  const k = spec.kubernetes;
  const pr = spec.registry.privateRegistry;
  return {
    name: spec.name, kubernetesVersion: k.version, clusterName: k.clusterName, clusterDomain: k.clusterDomain,
    endpointDomain: k.controlPlaneEndpoint.domain, endpointAddress: k.controlPlaneEndpoint.address ?? '', endpointPort: String(k.controlPlaneEndpoint.port),
    internalLoadbalancer: k.controlPlaneEndpoint.internalLoadbalancer ?? '',
    etcdVersion: spec.etcd.version, containerdVersion: spec.containerd.version, plugin: spec.network.plugin,
    podCidr: spec.network.podCidr, serviceCidr: spec.network.serviceCidr, mirrors: spec.registry.mirrors.join('\n'),
    insecureRegistries: spec.registry.insecureRegistries.join('\n'), privateRegistryUrl: pr?.url ?? '', privateRegistryUser: pr?.username ?? '',
    privateRegistryPassword: '', privateRegistryPasswordStored: pr?.password.set ?? false, artifactsMirror: spec.artifacts.mirror ?? '',
    firewall: spec.preflight.firewall,
    carry: carriedOf(spec),
    minimums: Object.fromEntries(MINIMUM_KEYS.map((k) => [k, String(spec.preflight[k] ?? DEFAULT_MINIMUMS[k])])) as Minimums,
    defaults: spec.hostDefaults ? emptyCredentials(credentialsOf(spec.hostDefaults)) : emptyCredentials(),
    hosts: spec.hosts.map((h) => emptyHost({
      name: h.name, address: h.address, internalAddress: h.internalAddress ?? '', port: String(h.port), ...credentialsOf(h), useDefaults: h.auth === undefined,
      labels: Object.entries(h.labels).map(([a, b]) => (b ? `${a}=${b}` : a)).join(', '), roles: [...h.roles], hostKeyFingerprint: h.hostKeyFingerprint ?? '',
    })),
  };
}

/** "name address [user] [port]" or "address" per line; names are derived when missing; rows use the default credentials. */
export function parseHostLines(text: string, existing: number): HostRow[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l, i) => {
    const parts = l.split(/[\s,]+/);
    const looksLikeAddress = (s: string | undefined) => !!s && /[.:]/.test(s);
    const [a, b, c, d] = parts;
    if (looksLikeAddress(a)) return emptyHost({ name: `node${existing + i + 1}`, address: a ?? '', user: b ?? '', port: c ?? '22' });
    return emptyHost({ name: a ?? '', address: b ?? '', user: c ?? '', port: d ?? '22' });
  });
}

/** Form state kept as a local draft: never the secrets. */
export function withoutSecrets(f: WizardForm): WizardForm {
  return { ...f, privateRegistryPassword: '', defaults: { ...f.defaults, privateKey: '', passphrase: '', password: '', sudoPassword: '' }, hosts: f.hosts.map((h) => ({ ...h, privateKey: '', passphrase: '', password: '', sudoPassword: '' })) };
}
