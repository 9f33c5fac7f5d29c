import { CNI_PLUGINS, CONTAINERD, CRICTL, ETCD, RUNC } from './checksums-runtime';
import { KUBEADM, KUBECTL, KUBELET } from './checksums-kube';
import { ARCHES, type Arch, type Checksums, type Component, type ComponentInfo } from './types';

const GH = 'https://github.com';
const k8sBinary = (name: string, checksums: Checksums): ComponentInfo => ({
  url: (v, a) => `https://dl.k8s.io/release/v${v}/bin/linux/${a}/${name}`,
  layout: () => ({ kind: 'binary', name }),
  checksums,
});

export const CNI_PLUGIN_NAMES = ['bandwidth', 'bridge', 'firewall', 'host-local', 'loopback', 'portmap'] as const;

// Manifests have no checksum in any source found: every version is refused unless a mirror lists it.
export const TABLE: Readonly<Record<Component, ComponentInfo>> = {
  etcd: {
    url: (v, a) => `${GH}/etcd-io/etcd/releases/download/v${v}/etcd-v${v}-linux-${a}.tar.gz`,
    layout: (v, a) => ({ kind: 'tar', members: [`etcd-v${v}-linux-${a}/etcd`, `etcd-v${v}-linux-${a}/etcdctl`] }),
    checksums: ETCD,
  },
  containerd: {
    url: (v, a) => `${GH}/containerd/containerd/releases/download/v${v}/containerd-${v}-linux-${a}.tar.gz`,
    layout: () => ({ kind: 'tar', members: ['bin/containerd', 'bin/containerd-shim-runc-v2', 'bin/ctr'] }),
    checksums: CONTAINERD,
  },
  runc: {
    url: (v, a) => `${GH}/opencontainers/runc/releases/download/v${v}/runc.${a}`,
    layout: () => ({ kind: 'binary', name: 'runc' }),
    checksums: RUNC,
  },
  'cni-plugins': {
    url: (v, a) => `${GH}/containernetworking/plugins/releases/download/v${v}/cni-plugins-linux-${a}-v${v}.tgz`,
    layout: () => ({ kind: 'tar', members: CNI_PLUGIN_NAMES.map((n) => `./${n}`) }),
    checksums: CNI_PLUGINS,
  },
  crictl: {
    url: (v, a) => `${GH}/kubernetes-sigs/cri-tools/releases/download/v${v}/crictl-v${v}-linux-${a}.tar.gz`,
    layout: () => ({ kind: 'tar', members: ['crictl'] }),
    checksums: CRICTL,
  },
  kubeadm: k8sBinary('kubeadm', KUBEADM),
  kubelet: k8sBinary('kubelet', KUBELET),
  kubectl: k8sBinary('kubectl', KUBECTL),
  calico: {
    url: (v) => `https://raw.githubusercontent.com/projectcalico/calico/v${v}/manifests/calico.yaml`,
    layout: () => ({ kind: 'file', name: 'calico.yaml' }),
    checksums: {},
  },
  flannel: {
    url: (v) => `${GH}/flannel-io/flannel/releases/download/v${v}/kube-flannel.yml`,
    layout: () => ({ kind: 'file', name: 'kube-flannel.yml' }),
    checksums: {},
  },
  // haproxy publishes sources only: a binary comes from the user's mirror (the test mirror takes Debian's)
  haproxy: {
    url: (v, a) => `haproxy-${v}-linux-${a}`,
    layout: () => ({ kind: 'binary', name: 'haproxy' }),
    checksums: {},
  },
  // chrony for Debian hosts without it (system.ntpServers): its .deb from the user's mirror (the test mirror takes Debian's)
  chrony: {
    url: (v, a) => `chrony_${v}_${a}.deb`,
    layout: () => ({ kind: 'file', name: 'chrony.deb' }),
    checksums: {},
  },
};

/** The table's sha256 for (component, bare version, arch), or null when the table has none. */
export function tableChecksum(component: Component, bare: string, arch: Arch): string | null {
  const pair = TABLE[component].checksums[bare];
  const sum = pair?.[ARCHES.indexOf(arch)];
  return sum ? sum : null;
}

/** Versions ("v"-prefixed, ascending) the table has a checksum for on this arch. */
export function knownVersions(component: Component, arch: Arch): string[] {
  return Object.keys(TABLE[component].checksums)
    .filter((v) => tableChecksum(component, v, arch) !== null)
    .sort(compareVersions)
    .map((v) => `v${v}`);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
