import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { ArtifactNeed } from '../common/host-artifacts';

export type ContainerdOptions = {
  /** runc version; default paired with the containerd version */
  runc?: string;
  /** CNI plugins version; default paired with the containerd version */
  cniPlugins?: string;
  /** crictl version, or null to install none (kubeadm's preflight wants crictl: real clusters need it) */
  crictl?: string | null;
};

// Companions for each containerd line. v1.6.20 is the Debian bookworm build the test mirror serves, with Debian's runc
// and CNI plugins and no crictl (Debian has no cri-tools package).
const PAIRS: ReadonlyArray<{ match: RegExp; runc: string; cniPlugins: string; crictl: boolean }> = [
  { match: /^v1\.6\.20$/, runc: 'v1.1.5', cniPlugins: 'v1.1.1', crictl: false },
  { match: /^v1\.7\./, runc: 'v1.2.2', cniPlugins: 'v1.4.0', crictl: true },
];

/** crictl release matching the Kubernetes minor, or the newest older one the table has */
export function crictlFor(kubernetesVersion: string): string {
  const minor = Number(/^v?1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 30);
  if (minor <= 28) return 'v1.28.0';
  if (minor === 29) return 'v1.29.0';
  return 'v1.30.0';
}

export type ContainerdArtifacts = { containerd: ArtifactNeed; runc: ArtifactNeed; cniPlugins: ArtifactNeed; crictl: ArtifactNeed | null };

export function containerdArtifacts(spec: Pick<ClusterSpec, 'containerd' | 'kubernetes'>, options: ContainerdOptions = {}): ContainerdArtifacts {
  const version = spec.containerd.version;
  const pair = PAIRS.find((p) => p.match.test(version));
  const crictl = options.crictl !== undefined ? options.crictl : pair && !pair.crictl ? null : crictlFor(spec.kubernetes.version);
  return {
    containerd: { component: 'containerd', version },
    runc: { component: 'runc', version: options.runc ?? pair?.runc ?? 'v1.2.2' },
    cniPlugins: { component: 'cni-plugins', version: options.cniPlugins ?? pair?.cniPlugins ?? 'v1.4.0' },
    crictl: crictl === null ? null : { component: 'crictl', version: crictl },
  };
}
