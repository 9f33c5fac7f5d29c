import type { ClusterSpec } from '../../contracts/cluster-spec';

export const CONTAINERD_PATHS = {
  config: '/etc/containerd/config.toml',
  certsDir: '/etc/containerd/certs.d',
  unit: '/etc/systemd/system/containerd.service',
  bin: '/usr/local/bin',
  runc: '/usr/local/sbin/runc',
  cniBin: '/opt/cni/bin',
  crictlConfig: '/etc/crictl.yaml',
  socket: '/run/containerd/containerd.sock',
} as const;

// TOML basic strings accept JSON's escapes (\" \\ \n \t \uXXXX).
const q = (value: string) => JSON.stringify(value);

/** pause image kubeadm expects for each Kubernetes minor */
export function pauseTag(kubernetesVersion: string): string {
  const minor = Number(/^v?1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 31);
  return minor >= 31 ? '3.10' : '3.9';
}

/** registry host (and path) of the private registry, e.g. "reg.example.com:5000/library" */
export function privateRegistryPrefix(spec: Pick<ClusterSpec, 'registry'>): string | undefined {
  const url = spec.registry.privateRegistry?.url;
  if (!url) return undefined;
  const u = new URL(url);
  // KubeKey's namespaceOverride replaces the path under the registry host
  const ns = spec.registry.namespaceOverride;
  return ns ? `${u.host}/${ns}` : `${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

export function sandboxImage(spec: Pick<ClusterSpec, 'registry' | 'kubernetes'>): string {
  return `${privateRegistryPrefix(spec) ?? 'registry.k8s.io'}/pause:${pauseTag(spec.kubernetes.version)}`;
}

export function renderContainerdConfig(spec: Pick<ClusterSpec, 'registry' | 'kubernetes'>): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const lines = [
    'version = 2',
    'root = "/var/lib/containerd"',
    'state = "/run/containerd"',
    '',
    '[grpc]',
    `  address = ${q(CONTAINERD_PATHS.socket)}`,
    '',
    `[${cri}]`,
    `  sandbox_image = ${q(sandboxImage(spec))}`,
    '',
    `[${cri}.containerd]`,
    '  default_runtime_name = "runc"',
    '',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${cri}.containerd.runtimes.runc.options]`,
    `  BinaryName = ${q(CONTAINERD_PATHS.runc)}`,
    '  SystemdCgroup = true',
    '',
    `[${cri}.cni]`,
    `  bin_dir = ${q(CONTAINERD_PATHS.cniBin)}`,
    '  conf_dir = "/etc/cni/net.d"',
    '',
    `[${cri}.registry]`,
    `  config_path = ${q(CONTAINERD_PATHS.certsDir)}`,
  ];
  const priv = spec.registry.privateRegistry;
  if (priv?.username && priv.password) {
    lines.push('', `[${cri}.registry.configs.${q(new URL(priv.url).host)}.auth]`, `  username = ${q(priv.username)}`, `  password = ${q(priv.password)}`);
  }
  return `${lines.join('\n')}\n`;
}

export type HostsToml = { host: string; content: string };

/**
 * One certs.d/<host>/hosts.toml per registry: docker.io with the mirrors, each insecure registry over http and
 * unverified https, and an http:// private registry over http (without it containerd pulls over https).
 */
export function renderRegistryHosts(spec: Pick<ClusterSpec, 'registry'>): HostsToml[] {
  const out: HostsToml[] = [];
  const { mirrors, insecureRegistries, privateRegistry } = spec.registry;
  if (mirrors.length > 0) {
    const blocks = mirrors.map((m) => `[host.${q(m.replace(/\/+$/, ''))}]\n  capabilities = ["pull", "resolve"]\n`);
    out.push({ host: 'docker.io', content: `server = "https://registry-1.docker.io"\n\n${blocks.join('\n')}` });
  }
  for (const reg of insecureRegistries) {
    const block = (scheme: string) => `[host.${q(`${scheme}://${reg}`)}]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n`;
    out.push({ host: reg, content: `server = ${q(`http://${reg}`)}\n\n${block('http')}\n${block('https')}` });
  }
  const priv = privateRegistry ? new URL(privateRegistry.url) : undefined;
  if (priv?.protocol === 'http:' && !out.some((h) => h.host === priv.host)) {
    const server = `http://${priv.host}`;
    out.push({ host: priv.host, content: `server = ${q(server)}\n\n[host.${q(server)}]\n  capabilities = ["pull", "resolve", "push"]\n` });
  }
  return out;
}

export function renderContainerdUnit(): string {
  return `[Unit]
Description=containerd container runtime (installed by kubexms)
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${CONTAINERD_PATHS.bin}/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
LimitNOFILE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;
}

export function renderCrictlConfig(): string {
  return `runtime-endpoint: unix://${CONTAINERD_PATHS.socket}\nimage-endpoint: unix://${CONTAINERD_PATHS.socket}\ntimeout: 10\n`;
}
