import { resolveFromTable } from '../../artifacts';
import { forgetRestart, removePaths, stopAndDisable } from '../common';
import type { ClusterSpec, KxModule, KxStep, KxTask } from '../common';
import type { ArtifactNeed } from '../common/host-artifacts';
import { ETCD_PATHS, etcdDataDir } from './render';
import { checkEtcdHealth, configureEtcdUnit, distributeEtcdCerts, installEtcdBinaries, registerJoiningMember, startEtcd } from './steps';

export type EtcdModuleOptions = {
  /** members being added to a running cluster (addNodes): started with --initial-cluster-state existing after `member add` */
  joining?: readonly string[];
  healthTimeoutMs?: number;
};

export function etcdArtifacts(spec: Pick<ClusterSpec, 'etcd'>): ArtifactNeed[] {
  return [{ component: 'etcd', version: spec.etcd.version }];
}

/** Without a mirror, a version the table has no sha256 for is refused here, while the pipeline is assembled (no host touched). */
function refuseUnknownWithoutMirror(spec: ClusterSpec, needs: readonly ArtifactNeed[]): void {
  if (spec.artifacts.mirror) return;
  for (const need of needs) resolveFromTable({ ...need, arch: 'amd64' });
}

export function etcdTasks(spec: ClusterSpec, options: EtcdModuleOptions = {}): KxTask[] {
  const need = etcdArtifacts(spec)[0]!;
  refuseUnknownWithoutMirror(spec, [need]);
  const joining = new Set(options.joining ?? []);
  return [
    {
      name: 'Install and configure etcd',
      runOnRoles: ['etcd'],
      steps: [installEtcdBinaries(need), distributeEtcdCerts, configureEtcdUnit(joining), registerJoiningMember(joining), startEtcd],
    },
    { name: 'Check etcd cluster health', runOnRoles: ['etcd'], steps: [checkEtcdHealth({ timeoutMs: options.healthTimeoutMs })] },
  ];
}

export function etcdModule(spec: ClusterSpec, options: EtcdModuleOptions = {}): KxModule {
  return { name: 'etcd', tasks: etcdTasks(spec, options) };
}

// the day-2 scratch dirs (backup, restore) go too
export const ETCD_INSTALLED_PATHS = [`${ETCD_PATHS.bin}/etcd`, `${ETCD_PATHS.bin}/etcdctl`, ETCD_PATHS.unit, ETCD_PATHS.dataDir, '/etc/ssl/etcd', '/var/lib/kubexms-etcd-backup', '/var/lib/kubexms-etcd-restore'];

/** What reset removes: the installed files and the data directory the spec names (etcd.dataDir). */
export function etcdInstalledPaths(spec: Pick<ClusterSpec, 'etcd'>): string[] {
  return ETCD_INSTALLED_PATHS.map((p) => (p === ETCD_PATHS.dataDir ? etcdDataDir(spec) : p));
}

const resetStep: KxStep = {
  name: 'Stop etcd and remove its files',
  check: async () => false,
  run: async (ctx) => {
    await stopAndDisable(ctx, 'etcd.service');
    const removed = await removePaths(ctx, etcdInstalledPaths(ctx.runtime.spec));
    await forgetRestart(ctx, 'etcd.service');
    await ctx.sudo('systemctl daemon-reload');
    ctx.log(removed.length > 0 ? `removed ${removed.join(' ')}` : 'nothing to remove');
  },
};

export function etcdResetTasks(_spec: ClusterSpec): KxTask[] {
  return [{ name: 'Reset etcd', runOnRoles: ['etcd'], steps: [resetStep] }];
}
