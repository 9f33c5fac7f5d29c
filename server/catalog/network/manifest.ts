import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { ArtifactNeed } from '../common/host-artifacts';

export type CniOptions = { calicoVersion?: string; flannelVersion?: string };

export const CNI_DEFAULTS = { calico: 'v3.27.3', flannel: 'v0.25.5' } as const;

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
