import type { YamlPath } from './kubekey-yaml';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export type MoreHelpers = {
  put: (t: Raw, k: string, v: unknown, path: string, src: YamlPath) => void;
  warn: (src: YamlPath, m: string, path?: string) => void;
  error: (src: YamlPath, m: string, path?: string) => void;
  ignoreRest: (o: Raw, base: YamlPath, known: readonly string[]) => void;
  /** reads a material file named in the KubeKey file (the CLI resolves it next to the file); absent in the browser */
  readFile?: ((path: string) => string) | undefined;
};

export const KUBE_TUNING_KEYS = ['apiserverCertExtraSans', 'autoRenewCerts', 'masqueradeAll', 'maxPods', 'podPidsLimit', 'nodeCidrMaskSize', 'proxyMode', 'featureGates', 'kubeProxyConfiguration', 'kubeletArgs'] as const;
const SYSTEM_KEYS = ['ntpServers', 'timezone', 'rpms', 'debs', 'skipConfigureOS'] as const;

/** KubeKey's kubeadm/kubelet/kube-proxy fields under spec.kubernetes: same names in kubexms. */
export function mapKubeTuning(kk: Raw, k8s: Raw, h: MoreHelpers): void {
  for (const k of KUBE_TUNING_KEYS) h.put(k8s, k, kk[k], `kubernetes.${k}`, ['spec', 'kubernetes', k]);
}

export function mapNetworkExtras(net: Raw, out: Raw, h: MoreHelpers): void {
  const src = ['spec', 'network'];
  for (const k of ['calico', 'flannel'] as const) h.put(out, k, net[k], `network.${k}`, [...src, k]);
  const multus = net.multusCNI;
  if (isObj(multus) && multus.enabled === true) h.error([...src, 'multusCNI', 'enabled'], 'multus is not installed by kubexms: set multusCNI.enabled to false or remove it');
}

/** spec.system: chrony, timezone, packages, hook scripts (materials read from disk by the CLI), skipConfigureOS. */
export function mapSystem(spec: Raw, input: Raw, h: MoreHelpers): void {
  const sys = spec.system;
  if (sys === undefined || sys === null) return;
  const src = ['spec', 'system'];
  if (!isObj(sys)) return h.error(src, 'spec.system must be a mapping');
  const out: Raw = {};
  input.system = out;
  for (const k of SYSTEM_KEYS) h.put(out, k, k === 'timezone' && sys[k] === '' ? undefined : sys[k], `system.${k}`, [...src, k]);
  for (const k of ['preInstall', 'postInstall'] as const) {
    const list = sys[k];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) { h.error([...src, k], `${k} must be a list of { name, bash, materials }`); continue; }
    h.put(out, k, list.map((hook, i) => mapHook(hook, [...src, k, i], h)), `system.${k}`, [...src, k]);
  }
  h.ignoreRest(sys, src, [...SYSTEM_KEYS, 'preInstall', 'postInstall']);
}

function mapHook(hook: unknown, src: YamlPath, h: MoreHelpers): unknown {
  if (!isObj(hook)) return hook;
  const materials = Array.isArray(hook.materials) ? hook.materials : [];
  const read = materials.map((m, j) => {
    const at = [...src, 'materials', j];
    if (typeof m !== 'string' || m === '') return h.error(at, 'must be the path of a file'), undefined;
    if (!h.readFile) return h.error(at, 'materials are files on the machine that imports the file: use `kubexms create cluster -f` (it reads them next to the file)'), undefined;
    try {
      return { name: m.split('/').filter(Boolean).at(-1) ?? m, content: h.readFile(m) };
    } catch (err) {
      return h.error(at, `cannot read ${m}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`), undefined;
    }
  });
  h.ignoreRest(hook, src, ['name', 'bash', 'materials', 'role']);
  return { name: hook.name, bash: hook.bash, materials: read.filter((m) => m !== undefined), ...hookRole(hook.role, [...src, 'role'], h) };
}

/** KubeKey's role names (cmd/kk/pkg/common: master, worker, etcd, k8s, registry); kubexms has no registry role. */
function hookRole(role: unknown, src: YamlPath, h: MoreHelpers): { role?: unknown } {
  if (role === undefined || role === null || role === '') return {};
  if (role === 'registry') return h.error(src, 'kubexms has no registry hosts: use master, worker, etcd or k8s, or remove role'), {};
  return { role: role === 'master' ? 'control-plane' : role };
}

/** storage and addons need a running cluster, which kubexms cannot reach past the binary boundary here: each is refused with the reason. */
export function refuseClusterAddons(spec: Raw, h: MoreHelpers): void {
  const storage = spec.storage;
  if (isObj(storage) && Object.keys(storage).length > 0) {
    h.warn(['spec', 'storage'], 'refused: kubexms installs no storage provisioner (openebs, nfs, rbd, glusterfs); install it on the running cluster');
  }
  const addons = spec.addons;
  if (Array.isArray(addons) && addons.length > 0) {
    h.error(['spec', 'addons'], 'refused: kubexms does not install addons (Helm charts or YAML) yet; remove them here and apply them to the running cluster');
  } else if (addons !== undefined && addons !== null && !Array.isArray(addons)) h.error(['spec', 'addons'], 'addons must be a list');
}
