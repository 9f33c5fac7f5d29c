import { forgetRestart, allowOnExistingNodes, removePaths, stopAndDisable, writeFileIfChanged, readRemoteFile } from '../common';
import type { ClusterSpec, KxModule, KxStep, KxTask } from '../common';
import { applyCni } from '../network/steps';
import type { CniOptions } from '../network/manifest';
import { cniPlugin } from '../network/manifest';
import type { ArtifactNeed } from '../common/host-artifacts';
import { haproxyArtifacts, loadBalancerResetTasks, loadBalancerTasks } from '../loadbalancer/tasks';
import { ETCD_FILES } from '../etcd/render';
import { firstControlPlane, K8S_PATHS, withHostsBlock } from './render';
import {
  configureKubelet,
  createJoinCredentials,
  distributeEtcdClientCerts,
  endpointInEtcHosts,
  fetchKubeconfig,
  installKubeBinaries,
  kubeadmInit,
  kubeadmJoin,
  restartKubeletIfChanged,
  kubePlacements,
} from './steps';

type KubernetesModuleOptions = CniOptions;

/** What the module downloads, for verifyArtifacts before a run (the CNI manifest has no table sha256: a mirror must list it). */
export function kubernetesArtifacts(spec: ClusterSpec, options: KubernetesModuleOptions = {}): ArtifactNeed[] {
  return [...haproxyArtifacts(spec), ...kubePlacements(spec.kubernetes.version).map((p) => p.artifact), cniPlugin(spec, options).artifact];
}

const K8S_ROLES = ['control-plane', 'worker'] as const;

export function kubernetesTasks(spec: ClusterSpec, options: KubernetesModuleOptions = {}): KxTask[] {
  const first = firstControlPlane(spec).name;
  const isFirst = (h: { name: string }) => h.name === first;
  const lb = spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer !== undefined;
  return [
    ...loadBalancerTasks(spec),
    { name: 'Distribute etcd client certificates', runOnRoles: ['control-plane'], steps: [distributeEtcdClientCerts] },
    {
      name: 'Install Kubernetes node components',
      runOnRoles: K8S_ROLES,
      // binaries last: everything that needs none is done (and testable) first
      steps: [endpointInEtcHosts, configureKubelet, installKubeBinaries(spec.kubernetes.version), restartKubeletIfChanged],
    },
    { name: 'Initialize the first control plane', runOnRoles: ['control-plane'], filter: isFirst, steps: [kubeadmInit] },
    allowOnExistingNodes({ name: 'Fetch the admin kubeconfig', runOnRoles: ['control-plane'], filter: isFirst, steps: [fetchKubeconfig] }),
    allowOnExistingNodes({ name: 'Create join credentials', runOnRoles: ['control-plane'], filter: isFirst, steps: [createJoinCredentials] }),
    { name: 'Join control planes', runOnRoles: ['control-plane'], filter: (h) => !isFirst(h), concurrency: 1, steps: [kubeadmJoin] },
    // a joined control plane reaches the API at its own server, as KubeKey's UpdateHostsFile does
    ...(lb ? [{ name: 'Point joined control planes at their own API server', runOnRoles: ['control-plane'] as const, filter: (h: { name: string }) => !isFirst(h), steps: [endpointInEtcHosts] }] : []),
    { name: 'Join workers', runOnRoles: ['worker'], filter: (h) => !h.roles.includes('control-plane'), steps: [kubeadmJoin] },
    { name: 'Install the pod network', runOnRoles: ['control-plane'], filter: isFirst, steps: [applyCni(options)] },
  ];
}

export function kubernetesModule(spec: ClusterSpec, options: KubernetesModuleOptions = {}): KxModule {
  return { name: 'kubernetes', tasks: kubernetesTasks(spec, options) };
}

const KUBERNETES_INSTALLED_PATHS = [
  `${K8S_PATHS.bin}/kubeadm`,
  `${K8S_PATHS.bin}/kubelet`,
  `${K8S_PATHS.bin}/kubectl`,
  K8S_PATHS.kubeletUnit,
  K8S_PATHS.kubeletDropInDir,
  K8S_PATHS.dir,
  '/var/lib/kubelet',
  '/etc/cni/net.d/10-calico.conflist',
  '/etc/cni/net.d/calico-kubeconfig',
  '/etc/cni/net.d/10-flannel.conflist',
  '/var/lib/calico',
  '/run/flannel',
  '/var/lib/cni',
  ETCD_FILES.apiserverClient,
  ETCD_FILES.apiserverClientKey,
];

const resetStep: KxStep = {
  name: 'Reset Kubernetes and remove its files',
  check: async () => false,
  run: async (ctx) => {
    await ctx.exec(`[ -x ${K8S_PATHS.bin}/kubeadm ] && ${K8S_PATHS.bin}/kubeadm reset -f --cri-socket=unix:///run/containerd/containerd.sock; true`, { sudo: true });
    await stopAndDisable(ctx, 'kubelet.service');
    await ctx.exec("for m in $(awk '$2 ~ \"^/var/lib/kubelet/\" {print $2}' /proc/mounts | sort -r); do umount \"$m\"; done; true", { sudo: true, quiet: true });
    // an etcd member still needs the CA: the etcd reset removes it there
    const removed = await removePaths(ctx, ctx.host.roles.includes('etcd') ? KUBERNETES_INSTALLED_PATHS : [...KUBERNETES_INSTALLED_PATHS, ETCD_FILES.ca]);
    await forgetRestart(ctx, 'kubelet.service');
    await ctx.exec('rmdir --ignore-fail-on-non-empty -- /etc/ssl/etcd/ssl /etc/ssl/etcd /etc/cni/net.d /etc/cni 2>/dev/null; true', { sudo: true, quiet: true });
    const hosts = await readRemoteFile(ctx, '/etc/hosts');
    if (hosts !== null) await writeFileIfChanged(ctx, '/etc/hosts', withHostsBlock(hosts, null), 0o644);
    await ctx.sudo('systemctl daemon-reload');
    ctx.log(removed.length > 0 ? `removed ${removed.join(' ')}` : 'nothing to remove');
  },
};

export function kubernetesResetTasks(_spec: ClusterSpec): KxTask[] {
  return [{ name: 'Reset Kubernetes', runOnRoles: K8S_ROLES, steps: [resetStep] }, ...loadBalancerResetTasks()];
}
