import type { ClusterSpec } from '../../contracts/cluster-spec';
import { privateRegistryPrefix } from '../containerd/render';
import type { ArtifactNeed } from '../common/host-artifacts';

export type CniOptions = { calicoVersion?: string; flannelVersion?: string };

// Calico v3.29 is tested against Kubernetes v1.29–v1.32 (docs.tigera.io, Calico 3.29 system requirements)
export const CNI_DEFAULTS = { calico: 'v3.29.3', flannel: 'v0.25.5' } as const;

export type CniPlugin = {
  artifact: ArtifactNeed;
  file: string;
  remote: string;
  /** namespace/name of the DaemonSet the manifest creates: its presence means the CNI is applied */
  daemonSet: { namespace: string; name: string };
};

export function cniPlugin(spec: Pick<ClusterSpec, 'network'>, options: CniOptions = {}): CniPlugin {
  if (spec.network.plugin === 'flannel') {
    return {
      artifact: { component: 'flannel', version: options.flannelVersion ?? CNI_DEFAULTS.flannel },
      file: 'kube-flannel.yml',
      remote: '/etc/kubernetes/addons/kube-flannel.yml',
      daemonSet: { namespace: 'kube-flannel', name: 'kube-flannel-ds' },
    };
  }
  return {
    artifact: { component: 'calico', version: options.calicoVersion ?? CNI_DEFAULTS.calico },
    file: 'calico.yaml',
    remote: '/etc/kubernetes/addons/calico.yaml',
    daemonSet: { namespace: 'kube-system', name: 'calico-node' },
  };
}

const CALICO_CIDR = /^(\s*)# - name: CALICO_IPV4POOL_CIDR\n\s*# {3}value: "[^"]*"$/m;
const FLANNEL_NET = /"Network": "[^"]*"/;

/** The upstream manifest with the spec's pod CIDR put in; throws when the manifest has no place for it. */
export function withPodCidr(plugin: 'calico' | 'flannel', manifest: string, podCidr: string): string {
  if (!/^[0-9./]+$/.test(podCidr)) throw new Error(`invalid pod CIDR ${JSON.stringify(podCidr)}`);
  if (plugin === 'calico') {
    if (!CALICO_CIDR.test(manifest)) throw new Error('calico manifest has no commented CALICO_IPV4POOL_CIDR setting to fill in');
    return manifest.replace(CALICO_CIDR, (_m, indent: string) => `${indent}- name: CALICO_IPV4POOL_CIDR\n${indent}  value: "${podCidr}"`);
  }
  if (!FLANNEL_NET.test(manifest)) throw new Error('flannel manifest has no "Network" setting to fill in');
  return manifest.replace(FLANNEL_NET, `"Network": "${podCidr}"`);
}

const CALICO_IP = /^(\s*)- name: IP\n\s*value: "autodetect"$/m;
const FLANNEL_ARGS = /^(\s*)- --kube-subnet-mgr$/m;
const FLANNEL_ENV = /^(\s*)env:\n(\s*)- name: POD_NAME$/m;
const IMAGE = /^(\s*(?:- )?image: )(?:docker\.io\/)?((?:calico|flannel)\/)/gm;
const hostIpEnv = (indent: string, name: string) =>
  `${indent}- name: ${name}\n${indent}  valueFrom:\n${indent}    fieldRef:\n${indent}      fieldPath: status.hostIP`;

/**
 * Each node's pod network uses the address kubelet registered (--node-ip = the host's internal address):
 * calico-node autodetects with can-reach=$(NODEIP) (as KubeKey's calico template does), flanneld gets --iface=$(NODE_IP)
 * (flanneld's --iface takes an interface name or an IP). status.hostIP is that node address.
 */
export function withNodeAddress(plugin: 'calico' | 'flannel', manifest: string): string {
  if (plugin === 'calico') {
    if (!CALICO_IP.test(manifest)) throw new Error('calico manifest has no IP=autodetect setting on calico-node');
    return manifest.replace(CALICO_IP, (m, indent: string) =>
      `${m}\n${hostIpEnv(indent, 'NODEIP')}\n${indent}- name: IP_AUTODETECTION_METHOD\n${indent}  value: "can-reach=$(NODEIP)"`);
  }
  if (!FLANNEL_ARGS.test(manifest) || !FLANNEL_ENV.test(manifest)) throw new Error('flannel manifest has no --kube-subnet-mgr argument or POD_NAME env on kube-flannel');
  return manifest
    .replace(FLANNEL_ARGS, (m, indent: string) => `${m}\n${indent}- --iface=$(NODE_IP)`)
    .replace(FLANNEL_ENV, (_m, envIndent: string, indent: string) => `${envIndent}env:\n${hostIpEnv(indent, 'NODE_IP')}\n${indent}- name: POD_NAME`);
}

/** calico/* and flannel/* images from the private registry, as kubeadm's imageRepository does for the control plane. */
export function withImageRegistry(manifest: string, spec: Pick<ClusterSpec, 'registry'>): string {
  const prefix = privateRegistryPrefix(spec);
  return prefix ? manifest.replace(IMAGE, (_m, head: string, repo: string) => `${head}${prefix}/${repo}`) : manifest;
}

/** The upstream manifest as applied: pod CIDR, node address, images. */
export function renderCniManifest(spec: Pick<ClusterSpec, 'network' | 'registry'>, manifest: string): string {
  const plugin = spec.network.plugin;
  return withImageRegistry(withNodeAddress(plugin, withPodCidr(plugin, manifest, spec.network.podCidr)), spec);
}
