import type { ClusterSpec } from '../../contracts/cluster-spec';

// Upstream calico.yaml (manifests/calico.yaml): calico-node's env CALICO_IPV4POOL_IPIP / CALICO_IPV4POOL_VXLAN create the
// IP pool, the calico-config ConfigMap's veth_mtu sets the MTU (0: detect); kube-flannel.yml's net-conf.json "Backend".
const env = (name: string) => new RegExp(`(- name: ${name}\\n\\s*value: )"[^"]*"`);
const VETH_MTU = /(veth_mtu: )"[^"]*"/;
const FLANNEL_BACKEND = /("Backend": \{\s*"Type": )"[^"]*"/;

/** KubeKey's network.calico / network.flannel put into the upstream manifest; throws when the manifest has no place for a setting. */
export function withEncapsulation(spec: Pick<ClusterSpec, 'network'>, manifest: string): string {
  const replace = (text: string, re: RegExp, value: string, what: string) => {
    if (!re.test(text)) throw new Error(`the ${spec.network.plugin} manifest has no ${what} setting to fill in`);
    return text.replace(re, (_m, head: string) => `${head}"${value}"`);
  };
  if (spec.network.plugin === 'flannel') {
    const f = spec.network.flannel;
    return f ? replace(manifest, FLANNEL_BACKEND, f.backendMode, 'Backend Type') : manifest;
  }
  const c = spec.network.calico;
  if (!c) return manifest;
  let out = replace(manifest, env('CALICO_IPV4POOL_IPIP'), c.ipipMode, 'CALICO_IPV4POOL_IPIP');
  out = replace(out, env('CALICO_IPV4POOL_VXLAN'), c.vxlanMode, 'CALICO_IPV4POOL_VXLAN');
  return replace(out, VETH_MTU, String(c.vethMTU), 'veth_mtu');
}
