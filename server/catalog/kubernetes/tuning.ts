import type { ClusterSpec } from '../../contracts/cluster-spec';

// KubeKey's kubernetes.* fields placed where kubeadm, kubelet and kube-proxy read them. Field names checked against
// kubernetes/kubernetes: cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go (apiServer.certSANs, ControlPlaneComponent.extraArgs
// map[string]string, NodeRegistrationOptions.kubeletExtraArgs), staging/src/k8s.io/kubelet/config/v1beta1/types.go
// (maxPods, podPidsLimit, featureGates), staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go (mode, clusterCIDR,
// iptables.masqueradeAll, featureGates, ipvs.*); KubeKey's own kubeadm template (pkg/kubernetes/templates) sets the same.

type K8s = Pick<ClusterSpec, 'kubernetes' | 'network'>;
type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const defined = (o: Raw) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const extraSans = (spec: K8s): string[] => spec.kubernetes.apiserverCertExtraSans ?? [];

const gates = (spec: K8s) => {
  const g = spec.kubernetes.featureGates ?? {};
  return Object.keys(g).length > 0 ? g : undefined;
};
const gateFlag = (spec: K8s) => {
  const g = gates(spec);
  return g ? Object.entries(g).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
};

/** extraArgs of the control-plane components (kubeadm v1beta3 maps); empty components are left out */
export function componentArgs(spec: K8s): { apiServer: Raw; controllerManager: Raw; scheduler: Raw } {
  const fg = gateFlag(spec);
  const mask = spec.kubernetes.nodeCidrMaskSize;
  return {
    apiServer: defined({ 'feature-gates': fg }),
    controllerManager: defined({ 'feature-gates': fg, 'node-cidr-mask-size': mask === undefined ? undefined : String(mask) }),
    scheduler: defined({ 'feature-gates': fg }),
  };
}

/** KubeKey's kubeletArgs (`--name=value`) as kubeadm's kubeletExtraArgs (name → value; a bare flag is "true") */
export function kubeletArgs(spec: K8s): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of spec.kubernetes.kubeletArgs ?? []) {
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    out[name] = eq < 0 ? 'true' : arg.slice(eq + 1);
  }
  return out;
}

export function kubeletTuning(spec: K8s): Raw {
  const k = spec.kubernetes;
  return defined({ maxPods: k.maxPods, podPidsLimit: k.podPidsLimit, featureGates: gates(spec) });
}

function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, v] of Object.entries(over)) out[key] = isObj(v) && isObj(out[key]) ? merge(out[key] as Raw, v) : v;
  return out;
}

/** The KubeProxyConfiguration document: mode, pod CIDR, masqueradeAll and feature gates, with the user's kubeProxyConfiguration merged over it */
export function kubeProxyConfiguration(spec: K8s): Raw {
  const k = spec.kubernetes;
  const base = defined({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: k.proxyMode ?? 'iptables',
    clusterCIDR: spec.network.podCidr,
    iptables: { masqueradeAll: k.masqueradeAll ?? false },
    featureGates: gates(spec),
  });
  const merged = merge(base, k.kubeProxyConfiguration ?? {});
  return { ...merged, apiVersion: base.apiVersion, kind: base.kind };
}
