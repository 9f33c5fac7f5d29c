import { z } from 'zod';
import { address, line, LIMITS } from './spec-fields';

export const PROXY_MODES = ['iptables', 'ipvs'] as const;
export const CALICO_ENCAP = ['Always', 'CrossSubnet', 'Never'] as const;
export const FLANNEL_BACKENDS = ['vxlan', 'host-gw'] as const;

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

const FEATURE_GATE = /^[A-Z][A-Za-z0-9]{0,99}$/;
// a kubelet flag as KubeKey's kubeletArgs carries it: --name or --name=value, one word
const KUBELET_ARG = /^--[a-z0-9][a-z0-9-]{0,99}(=[A-Za-z0-9._:,=/@+-]{0,1024})?$/;

function plainJson(v: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.length <= LIMITS.list && v.every((x) => plainJson(x, depth + 1));
  if (typeof v === 'object') return Object.keys(v).length <= LIMITS.list && Object.values(v).every((x) => plainJson(x, depth + 1));
  return false;
}

/** KubeKey's kubeadm / kubelet / kube-proxy fields under `kubernetes` (Kubernetes field names in comments). */
export const kubeTuning = {
  /** ClusterConfiguration.apiServer.certSANs, added to kubexms' own */
  apiserverCertExtraSans: z.array(address).max(LIMITS.list).optional(),
  /** a systemd timer on every control plane that runs `kubeadm certs renew all` monthly */
  autoRenewCerts: z.boolean({ error: 'must be true or false' }).optional(),
  /** KubeProxyConfiguration.iptables.masqueradeAll */
  masqueradeAll: z.boolean({ error: 'must be true or false' }).optional(),
  /** KubeletConfiguration.maxPods */
  maxPods: int(1, 2500).optional(),
  /** KubeletConfiguration.podPidsLimit (-1: unlimited) */
  podPidsLimit: int(-1, 4_194_304).optional(),
  /** kube-controller-manager --node-cidr-mask-size */
  nodeCidrMaskSize: int(8, 30).optional(),
  /** KubeProxyConfiguration.mode */
  proxyMode: z.enum(PROXY_MODES, { error: `must be one of: ${PROXY_MODES.join(', ')}` }).optional(),
  /** --feature-gates of apiserver, controller-manager, scheduler; featureGates of kubelet and kube-proxy */
  featureGates: z.record(line(100).regex(FEATURE_GATE, { error: 'must be a feature gate name such as RotateKubeletServerCertificate' }), z.boolean({ error: 'must be true or false' }))
    .refine((r) => Object.keys(r).length <= LIMITS.list, { error: `at most ${LIMITS.list} feature gates` }).optional(),
  /** merged over the KubeProxyConfiguration kubexms writes (the user's values win) */
  kubeProxyConfiguration: z.record(z.string(), z.unknown()).refine(plainJson, { error: 'must be plain YAML values, at most 8 levels deep' }).optional(),
  /** extra kubelet flags (nodeRegistration.kubeletExtraArgs) */
  kubeletArgs: z.array(line(1100).regex(KUBELET_ARG, { error: 'must be a kubelet flag such as --root-dir=/var/lib/kubelet' })).max(LIMITS.list).optional(),
};

export const Calico = z.strictObject({
  ipipMode: z.enum(CALICO_ENCAP, { error: `must be one of: ${CALICO_ENCAP.join(', ')}` }).default('Always'),
  vxlanMode: z.enum(CALICO_ENCAP, { error: `must be one of: ${CALICO_ENCAP.join(', ')}` }).default('Never'),
  /** 0: calico detects the MTU */
  vethMTU: int(0, 9000).default(0),
}).superRefine((c, ctx) => {
  if (c.ipipMode !== 'Never' && c.vxlanMode !== 'Never') ctx.addIssue({ code: 'custom', path: ['vxlanMode'], message: 'IP-in-IP and VXLAN cannot both be on: set one of ipipMode / vxlanMode to Never' });
  if (c.vethMTU !== 0 && c.vethMTU < 576) ctx.addIssue({ code: 'custom', path: ['vethMTU'], message: 'must be 0 (detect) or at least 576' });
});

export const Flannel = z.strictObject({
  backendMode: z.enum(FLANNEL_BACKENDS, { error: `must be one of: ${FLANNEL_BACKENDS.join(', ')}` }).default('vxlan'),
});

/** a registry namespace (KubeKey's namespaceOverride): images are pulled as <registry>/<namespace>/<image> */
export const registryNamespace = line(255).regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, { error: 'must be a registry namespace such as kubesphereio' });
