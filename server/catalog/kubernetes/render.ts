import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { APISERVER_BIND_PORT } from '../../contracts/cluster-spec';
import type { ClusterSpec, Host } from '../../contracts/cluster-spec';
import { hostsByRole } from '../../contracts/spec-hosts';
import { formatIpv4, parseCidrv4 } from '../../contracts/spec-net';
import { CONTAINERD_PATHS, privateRegistryPrefix } from '../containerd/render';
import { clientEndpoints, ETCD_FILES } from '../etcd/render';
import { componentArgs, extraSans, kubeletArgs, kubeletTuning, kubeProxyConfiguration } from './tuning';

export const K8S_PATHS = {
  bin: '/usr/local/bin',
  dir: '/etc/kubernetes',
  initConfig: '/etc/kubernetes/kubeadm-config.yaml',
  joinConfig: '/etc/kubernetes/kubeadm-join.yaml',
  adminConf: '/etc/kubernetes/admin.conf',
  kubeletConf: '/etc/kubernetes/kubelet.conf',
  kubeletUnit: '/etc/systemd/system/kubelet.service',
  kubeletDropInDir: '/etc/systemd/system/kubelet.service.d',
  kubeletDropIn: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  addons: '/etc/kubernetes/addons',
} as const;

/** stands for a secret made during the run (certificate key, join token) in what `spec render` shows */
export const MADE_AT_RUN_TIME = 'made-at-run-time';

const minorOf = (version: string) => Number(/^v?1\.(\d+)\./.exec(version)?.[1] ?? 0);

/**
 * kubeadm's config API: v1beta4 from Kubernetes 1.31 (where it became the default), v1beta3 below. Every field used
 * here exists under the same name in both (kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta3|v1beta4/types.go);
 * v1beta4 turned the extraArgs maps into lists of {name, value} (type Arg).
 */
export function kubeadmApi(kubernetesVersion: string): 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4' {
  return minorOf(kubernetesVersion) >= 31 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}

function extraArgs(api: ReturnType<typeof kubeadmApi>, args: Record<string, string>) {
  return api === 'kubeadm.k8s.io/v1beta4' ? Object.entries(args).map(([name, value]) => ({ name, value })) : args;
}
const CRI_SOCKET = `unix://${CONTAINERD_PATHS.socket}`;

type Member = Pick<Host, 'name' | 'address' | 'internalAddress' | 'roles'>;
export const nodeIp = (h: Pick<Host, 'address' | 'internalAddress'>) => h.internalAddress ?? h.address;

export function firstControlPlane(spec: Pick<ClusterSpec, 'hosts'>): Member {
  const first = hostsByRole(spec as ClusterSpec)['control-plane'][0];
  if (!first) throw new Error('the spec has no control-plane host');
  return first;
}

export function controlPlaneEndpoint(spec: Pick<ClusterSpec, 'kubernetes'>): string {
  const { domain, port } = spec.kubernetes.controlPlaneEndpoint;
  return `${domain}:${port}`;
}

/** the address the endpoint's domain resolves to on every node: the configured (load balancer) address, else the first control plane */
export function controlPlaneAddress(spec: Pick<ClusterSpec, 'kubernetes' | 'hosts'>): string {
  return spec.kubernetes.controlPlaneEndpoint.address ?? nodeIp(firstControlPlane(spec));
}

/** n-th address of the service CIDR (1: the kubernetes service, 10: cluster DNS) */
export function serviceIp(spec: Pick<ClusterSpec, 'network'>, n: number): string {
  const cidr = parseCidrv4(spec.network.serviceCidr);
  if (!cidr) throw new Error(`invalid service CIDR ${spec.network.serviceCidr}`);
  return formatIpv4(cidr.start + n);
}

function apiServerSans(spec: ClusterSpec): string[] {
  const out = new Set<string>([spec.kubernetes.controlPlaneEndpoint.domain, '127.0.0.1', 'localhost', serviceIp(spec, 1)]);
  if (spec.kubernetes.controlPlaneEndpoint.address) out.add(spec.kubernetes.controlPlaneEndpoint.address);
  for (const h of hostsByRole(spec)['control-plane']) for (const v of [h.name, h.address, h.internalAddress]) if (v) out.add(v);
  for (const v of extraSans(spec)) out.add(v);
  return [...out];
}

const nodeRegistration = (api: ReturnType<typeof kubeadmApi>, h: Member, taint: boolean, spec?: ClusterSpec) => ({
  name: h.name,
  criSocket: CRI_SOCKET,
  kubeletExtraArgs: extraArgs(api, { ...(spec ? kubeletArgs(spec) : {}), 'node-ip': nodeIp(h) }),
  // a control plane that is also a worker takes workloads
  ...(taint ? {} : { taints: [] }),
});

const withArgs = (api: ReturnType<typeof kubeadmApi>, args: Record<string, unknown>) =>
  (Object.keys(args).length ? { extraArgs: extraArgs(api, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]))) } : {});

export function renderKubeadmInitConfig(spec: ClusterSpec, certificateKey: string): string {
  const cp = firstControlPlane(spec);
  const args = componentArgs(spec);
  const repo = privateRegistryPrefix(spec);
  const api = kubeadmApi(spec.kubernetes.version);
  const init = {
    apiVersion: api,
    kind: 'InitConfiguration',
    localAPIEndpoint: { advertiseAddress: nodeIp(cp), bindPort: APISERVER_BIND_PORT },
    nodeRegistration: nodeRegistration(api, cp, !cp.roles.includes('worker'), spec),
    certificateKey,
  };
  const cluster = {
    apiVersion: api,
    kind: 'ClusterConfiguration',
    kubernetesVersion: spec.kubernetes.version,
    clusterName: spec.kubernetes.clusterName,
    controlPlaneEndpoint: controlPlaneEndpoint(spec),
    ...(repo ? { imageRepository: repo } : {}),
    networking: { podSubnet: spec.network.podCidr, serviceSubnet: spec.network.serviceCidr, dnsDomain: spec.kubernetes.clusterDomain },
    etcd: {
      external: { endpoints: clientEndpoints(spec), caFile: ETCD_FILES.ca, certFile: ETCD_FILES.apiserverClient, keyFile: ETCD_FILES.apiserverClientKey },
    },
    apiServer: { certSANs: apiServerSans(spec), ...withArgs(api, args.apiServer) },
    ...(Object.keys(args.controllerManager).length ? { controllerManager: withArgs(api, args.controllerManager) } : {}),
    ...(Object.keys(args.scheduler).length ? { scheduler: withArgs(api, args.scheduler) } : {}),
  };
  const kubelet = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    clusterDomain: spec.kubernetes.clusterDomain,
    clusterDNS: [serviceIp(spec, 10)],
    containerRuntimeEndpoint: CRI_SOCKET,
    ...kubeletTuning(spec),
  };
  return [init, cluster, kubelet, kubeProxyConfiguration(spec)].map((doc) => stringify(doc)).join('---\n');
}

export type JoinCredentials = { apiServerEndpoint: string; token: string; caCertHashes: string[] };

export function renderKubeadmJoinConfig(spec: ClusterSpec, host: Member, join: JoinCredentials, certificateKey: string | null): string {
  const controlPlane = host.roles.includes('control-plane');
  const api = kubeadmApi(spec.kubernetes.version);
  return stringify({
    apiVersion: api,
    kind: 'JoinConfiguration',
    discovery: { bootstrapToken: { apiServerEndpoint: join.apiServerEndpoint, token: join.token, caCertHashes: join.caCertHashes } },
    nodeRegistration: nodeRegistration(api, host, controlPlane && !host.roles.includes('worker'), spec),
    ...(controlPlane
      ? { controlPlane: { localAPIEndpoint: { advertiseAddress: nodeIp(host), bindPort: APISERVER_BIND_PORT }, certificateKey: certificateKey ?? '' } }
      : {}),
  });
}

/** `kubeadm token create --print-join-command` output → endpoint, token, CA hashes */
export function parseJoinCommand(output: string): JoinCredentials {
  const line = output.split('\n').find((l) => l.trim().startsWith('kubeadm join')) ?? '';
  const words = line.trim().split(/\s+/);
  const endpoint = words[2];
  const token = words[words.indexOf('--token') + 1];
  const hashes = words.flatMap((w, i) => (w === '--discovery-token-ca-cert-hash' && words[i + 1] ? [words[i + 1]!] : []));
  if (!endpoint || !words.includes('--token') || !token || !/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token) || hashes.length === 0 || !hashes.every((h) => /^sha256:[0-9a-f]{64}$/.test(h))) {
    throw new Error('kubeadm token create --print-join-command printed no usable join command');
  }
  return { apiServerEndpoint: endpoint, token, caCertHashes: hashes };
}

export function renderKubeletUnit(): string {
  return `[Unit]
Description=kubelet: The Kubernetes Node Agent (installed by kubexms)
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=${K8S_PATHS.bin}/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

export function renderKubeletDropIn(): string {
  return `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=${K8S_PATHS.bin}/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;
}

export const HOSTS_BEGIN = '# BEGIN kubexms control-plane endpoint';
export const HOSTS_END = '# END kubexms control-plane endpoint';

export type EndpointEntry = { address: string; domain: string };

/**
 * Where the endpoint's domain points on one host. With the internal load balancer (as KubeKey's UpdateHostsFile):
 * 127.0.0.1, i.e. the local haproxy on workers and the local API server on control planes; a control plane that has
 * not joined yet has no API server of its own, so it uses the first control plane until it has.
 */
export function endpointEntry(spec: Pick<ClusterSpec, 'kubernetes' | 'hosts'>, host: { name: string; roles: readonly string[] }, joined: boolean): EndpointEntry | null {
  const { domain, internalLoadbalancer, externalDNS } = spec.kubernetes.controlPlaneEndpoint;
  // externalDNS (KubeKey): the users' DNS resolves the domain, no /etc/hosts entry
  if (externalDNS) return null;
  if (!internalLoadbalancer) return { address: controlPlaneAddress(spec), domain };
  const first = firstControlPlane(spec);
  const waiting = host.roles.includes('control-plane') && host.name !== first.name && !joined;
  return { address: waiting ? nodeIp(first) : '127.0.0.1', domain };
}

/** /etc/hosts with kubexms's block (the endpoint's domain → its address) set to the entry; other lines are kept */
export function withHostsBlock(current: string, entry: EndpointEntry | null): string {
  const lines = current.split('\n');
  const start = lines.indexOf(HOSTS_BEGIN);
  const end = lines.indexOf(HOSTS_END);
  const kept = start >= 0 && end > start ? [...lines.slice(0, start), ...lines.slice(end + 1)] : lines;
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  if (!entry) return `${kept.join('\n')}\n`;
  if (!isIP(entry.address)) throw new Error(`control-plane endpoint address must be an IP address, got ${JSON.stringify(entry.address)}`);
  return `${[...kept, HOSTS_BEGIN, `${entry.address} ${entry.domain}`, HOSTS_END].join('\n')}\n`;
}
