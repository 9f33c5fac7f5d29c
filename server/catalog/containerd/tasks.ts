import { posix } from 'node:path';
import { forgetRestart, removePaths, stopAndDisable } from '../common';
import type { ClusterSpec, KxModule, KxStep, KxTask } from '../common';
import { CONTAINERD_PATHS } from './render';
import { checkContainerd, containerdPlacements, enableContainerd, installBinaries, writeConfig } from './steps';
import { containerdArtifacts } from './versions';
import type { ContainerdOptions } from './versions';
import type { ArtifactNeed } from '../common/host-artifacts';

/** containerd goes on every host with a Kubernetes role (etcd-only hosts need no runtime). */
export const CONTAINERD_ROLES = ['control-plane', 'worker'] as const;

export type ContainerdModuleOptions = ContainerdOptions & { healthTimeoutMs?: number };

export function containerdTasks(spec: ClusterSpec, options: ContainerdModuleOptions = {}): KxTask[] {
  const a = containerdArtifacts(spec, options);
  return [
    {
      name: 'Install containerd',
      runOnRoles: CONTAINERD_ROLES,
      steps: [installBinaries(a), writeConfig(a), enableContainerd, checkContainerd({ timeoutMs: options.healthTimeoutMs })],
    },
  ];
}

/** What the module downloads, for verifyArtifacts before a run. */
export function containerdArtifactNeeds(spec: ClusterSpec, options: ContainerdOptions = {}): ArtifactNeed[] {
  const a = containerdArtifacts(spec, options);
  return [a.containerd, a.runc, a.cniPlugins, ...(a.crictl ? [a.crictl] : [])];
}

export function containerdModule(spec: ClusterSpec, options: ContainerdModuleOptions = {}): KxModule {
  return { name: 'containerd', tasks: containerdTasks(spec, options) };
}

/** Everything the install step may have put on a host: our binaries by name (never the whole /opt/cni/bin or /usr/local/bin). */
export function containerdInstalledPaths(spec: ClusterSpec, options: ContainerdOptions = {}): string[] {
  const all = { ...containerdArtifacts(spec, options), crictl: { component: 'crictl', version: '' } };
  return [
    ...containerdPlacements(all).map((p) => p.remote),
    CONTAINERD_PATHS.unit,
    CONTAINERD_PATHS.crictlConfig,
    posix.dirname(CONTAINERD_PATHS.config),
    '/var/lib/containerd',
    '/run/containerd',
    '/opt/containerd',
  ];
}

const resetStep = (spec: ClusterSpec, options: ContainerdOptions): KxStep => ({
  name: 'Stop containerd and remove its files',
  check: async () => false,
  run: async (ctx) => {
    // containers left by kubelet would keep mounts under /var/lib/containerd busy
    await ctx.exec('command -v crictl >/dev/null 2>&1 && crictl rm -af >/dev/null 2>&1; true', { sudo: true, quiet: true });
    await stopAndDisable(ctx, 'containerd.service');
    await ctx.exec("for m in $(awk '$2 ~ \"^/(var/lib|run)/containerd/\" {print $2}' /proc/mounts | sort -r); do umount \"$m\"; done; true", { sudo: true, quiet: true });
    const removed = await removePaths(ctx, containerdInstalledPaths(spec, options));
    await forgetRestart(ctx, 'containerd.service');
    await ctx.exec(`rmdir --ignore-fail-on-non-empty -- ${CONTAINERD_PATHS.cniBin} /opt/cni 2>/dev/null; true`, { sudo: true, quiet: true });
    await ctx.sudo('systemctl daemon-reload');
    ctx.log(removed.length > 0 ? `removed ${removed.join(' ')}` : 'nothing to remove');
  },
});

export function containerdResetTasks(spec: ClusterSpec, options: ContainerdOptions = {}): KxTask[] {
  return [{ name: 'Reset containerd', runOnRoles: CONTAINERD_ROLES, steps: [resetStep(spec, options)] }];
}
