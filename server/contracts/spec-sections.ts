import { z } from 'zod';
import { cidrv4, domain, httpUrl, ipAddress, label, line, LIMITS, passwordSecret, port, registryHost, SecretState, version } from './spec-fields';
import { checkEtcdTuning, etcdTuning } from './spec-etcd';
import { Calico, Flannel, kubeTuning, registryNamespace } from './spec-kube-tuning';
import { CONTAINERD_VERSIONS, DEFAULT_CONTAINERD_VERSION, DEFAULT_ETCD_VERSION, ETCD_VERSIONS, KUBERNETES_VERSIONS } from './versions';

export const DEFAULT_POD_CIDR = '10.233.64.0/18';
export const DEFAULT_SERVICE_CIDR = '10.233.0.0/18';
export const NETWORK_PLUGINS = ['calico', 'flannel'] as const;
export const FIREWALL_POLICIES = ['disable', 'check', 'ignore'] as const;
export const INTERNAL_LOAD_BALANCERS = ['haproxy'] as const;
/** kubeadm's default API server port (constants.KubeAPIServerPort): the port every API server binds to */
export const APISERVER_BIND_PORT = 6443;

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

export const Kubernetes = z.strictObject({
  version: version(KUBERNETES_VERSIONS, 'Kubernetes'),
  clusterName: label.default('kubernetes'),
  clusterDomain: domain.default('cluster.local'),
  containerRuntime: z.literal('containerd', { error: 'only "containerd" is supported' }).default('containerd'),
  controlPlaneEndpoint: z.strictObject({
    domain: domain.default('lb.kubexms.local'),
    address: ipAddress.optional(),
    port: port.default(APISERVER_BIND_PORT),
    /** the domain resolves through the users' DNS: no /etc/hosts entry is written */
    externalDNS: z.boolean({ error: 'must be true or false' }).optional(),
    /** as KubeKey: a local haproxy on every node that is not a control plane, in front of all API servers */
    internalLoadbalancer: z.enum(INTERNAL_LOAD_BALANCERS, { error: `must be one of: ${INTERNAL_LOAD_BALANCERS.join(', ')}` }).optional(),
  }).prefault({}),
  ...kubeTuning,
});

export const Etcd = z.strictObject({
  type: z.literal('kubexms', { error: 'only "kubexms" (etcd managed by kubexms) is supported' }).default('kubexms'),
  version: version(ETCD_VERSIONS, 'etcd').default(DEFAULT_ETCD_VERSION),
  ...etcdTuning,
}).superRefine(checkEtcdTuning);

export const Containerd = z.strictObject({
  version: version(CONTAINERD_VERSIONS, 'containerd').default(DEFAULT_CONTAINERD_VERSION),
});

export const Network = z.strictObject({
  plugin: z.enum(NETWORK_PLUGINS, { error: `must be one of: ${NETWORK_PLUGINS.join(', ')}` }).default('calico'),
  podCidr: cidrv4.default(DEFAULT_POD_CIDR),
  serviceCidr: cidrv4.default(DEFAULT_SERVICE_CIDR),
  calico: Calico.optional(),
  flannel: Flannel.optional(),
});

const registryFields = {
  mirrors: z.array(httpUrl).max(LIMITS.list).default([]),
  insecureRegistries: z.array(registryHost).max(LIMITS.list).default([]),
  namespaceOverride: registryNamespace.optional(),
};
const privateRegistryFields = { url: httpUrl, username: line(256).optional() };

export const RegistryInput = z.strictObject({
  ...registryFields,
  privateRegistry: z.strictObject({ ...privateRegistryFields, password: passwordSecret.nullish() }).optional(),
});
export const RegistryPublic = z.strictObject({
  ...registryFields,
  privateRegistry: z.strictObject({ ...privateRegistryFields, password: SecretState }).optional(),
});
export const Registry = z.strictObject({
  ...registryFields,
  privateRegistry: z.strictObject({ ...privateRegistryFields, password: passwordSecret.optional() }).optional(),
});

export const Artifacts = z.strictObject({ mirror: httpUrl.optional() });

export const Preflight = z.strictObject({
  minCpuControlPlane: int(1, 1024).default(2),
  minMemControlPlaneMb: int(64, 16 * 1024 * 1024).default(2048),
  minCpuWorker: int(1, 1024).default(1),
  minMemWorkerMb: int(64, 16 * 1024 * 1024).default(1024),
  maxTimeSkewSeconds: int(0, 3600).default(30),
  minDiskGb: int(0, 1024 * 1024).default(10),
  firewall: z.enum(FIREWALL_POLICIES, { error: `must be one of: ${FIREWALL_POLICIES.join(', ')}` }).default('check'),
});
