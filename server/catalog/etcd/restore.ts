import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { existingPaths, remoteFileState, unitState } from '../common';
import type { ClusterSpec, KxContext, KxPipeline, KxStep, KxTask } from '../common';
import { etcdMembers } from '../pki/etcd-pki';
import { backupSink, type EtcdBackupRecord } from './backup-sink';
import { ETCDCTL, membersHealth } from './cluster-read';
import { ETCD_PATHS, etcdDataDir, initialCluster, peerUrl } from './render';
import { checkEtcdHealth } from './steps';

const WORK_DIR = '/var/lib/kubexms-etcd-restore';
const UNIT = 'etcd.service';

/** Every path a restore of backup `id` uses on a member; all beside the data dir, so a swap is a rename. */
export function restorePaths(id: number, data: string = ETCD_PATHS.dataDir) {
  return { data, snapshot: `${WORK_DIR}/backup-${id}.db`, fresh: `${data}.restore-${id}`, before: `${data}.before-restore-${id}`, failed: `${data}.failed-restore-${id}` };
}

function record(ctx: KxContext, id: number): EtcdBackupRecord {
  const rec = backupSink(ctx.runtime).get(id);
  if (!rec) throw new StepError('command', `backup #${id} no longer exists`);
  return rec;
}

const exists = async (ctx: KxContext, path: string) => (await existingPaths(ctx, [path])).length > 0;
type RestorePaths = ReturnType<typeof restorePaths>;
const swapped = (ctx: KxContext, p: RestorePaths) => exists(ctx, p.before);

function uploadSnapshot(id: number, p: RestorePaths): KxStep {
  return {
    name: 'Upload the snapshot',
    check: async (ctx) => (await swapped(ctx, p)) || (await remoteFileState(ctx, p.snapshot)).sha256 === record(ctx, id).sha256,
    run: async (ctx) => {
      const rec = record(ctx, id);
      await ctx.sudo(sh`install -d -m 0700 -- ${WORK_DIR}`);
      await ctx.upload({ path: rec.path }, p.snapshot, { mode: 0o600, sudo: true });
      const got = (await remoteFileState(ctx, p.snapshot)).sha256;
      if (got !== rec.sha256) throw new StepError('command', `the snapshot arrived with sha256 ${got ?? 'none'}, backup #${id} has ${rec.sha256}`);
      ctx.log(`backup #${id} (revision ${rec.revision}, ${rec.totalKeys} keys) is on ${ctx.host.name}, sha256 verified`);
    },
  };
}

function restoreIntoNewDir(id: number, p: RestorePaths): KxStep {
  return {
    name: 'Restore the snapshot into a new data dir',
    check: async (ctx) => (await swapped(ctx, p)) || (await exists(ctx, `${p.fresh}/member`)),
    run: async (ctx) => {
      const spec = ctx.runtime.spec;
      const me = etcdMembers(spec).find((m) => m.name === ctx.host.name);
      if (!me) throw new StepError('internal', `${ctx.host.name} is not an etcd member`);
      const was = record(ctx, id).members.map((m) => m.name).sort().join(',');
      const now = etcdMembers(spec).map((m) => m.name).sort().join(',');
      if (was !== now) ctx.log(`the backup was taken with members ${was}; restoring for the members of the spec: ${now}`);
      await ctx.sudo(sh`rm -rf -- ${p.fresh}`);
      await ctx.sudo(
        sh`${ETCDCTL} snapshot restore ${p.snapshot} ${`--name=${me.name}`} ${`--initial-cluster=${initialCluster(spec)}`} ${`--initial-cluster-token=kubexms-${spec.name}`} ${`--initial-advertise-peer-urls=${peerUrl(me)}`} ${`--data-dir=${p.fresh}`}`,
      );
      await ctx.sudo(sh`chmod 0700 -- ${p.fresh}`);
    },
  };
}

const stopEtcd = (p: RestorePaths): KxStep => ({
  name: 'Stop etcd',
  check: async (ctx) => (await swapped(ctx, p)) || !(await unitState(ctx, UNIT)).active,
  run: async (ctx) => void (await ctx.sudo(sh`systemctl stop -- ${UNIT}`)),
});

function swapDataDirs(id: number, p: RestorePaths): KxStep {
  return {
    name: 'Swap in the restored data dir (old one kept)',
    check: async (ctx) => (await swapped(ctx, p)) && !(await exists(ctx, p.fresh)),
    run: async (ctx) => {
      await ctx.sudo(sh`set -e; if [ -e ${p.data} ]; then mv -- ${p.data} ${p.before}; else mkdir -m 0700 -- ${p.before}; fi; mv -- ${p.fresh} ${p.data}`);
      ctx.log(`${p.data} now holds backup #${id}; the previous data is kept in ${p.before} until the cluster is healthy`);
    },
  };
}

const startEtcd: KxStep = {
  name: 'Start etcd',
  check: async (ctx) => (await unitState(ctx, UNIT)).active,
  // a member waits for quorum on start, and its peers start on other hosts
  run: async (ctx) => void (await ctx.sudo(sh`systemctl start --no-block -- ${UNIT}`)),
};

function rollBackUnlessHealthy(id: number, p: RestorePaths): KxStep {
  return {
    name: 'Roll back unless every member is healthy',
    check: async (ctx) => [...(await membersHealth(ctx)).values()].every(Boolean),
    run: async (ctx) => {
      const health = await membersHealth(ctx);
      const bad = [...health].filter(([, ok]) => !ok).map(([n]) => n);
      if (await exists(ctx, p.before)) {
        await ctx.sudo(sh`systemctl stop -- ${UNIT}`);
        await ctx.sudo(sh`set -e; rm -rf -- ${p.failed}; mv -- ${p.data} ${p.failed}; mv -- ${p.before} ${p.data}`);
        await ctx.sudo(sh`systemctl start --no-block -- ${UNIT}`);
      }
      throw new StepError('command', `the restored cluster is not healthy (${bad.join(', ')}): rolled back to the data from before the restore; the restored data is in ${p.failed}`);
    },
  };
}

function removeOldData(id: number, p: RestorePaths): KxStep {
  return {
    name: 'Remove the pre-restore data dir',
    check: async (ctx) => (await existingPaths(ctx, [p.before, p.snapshot])).length === 0,
    run: async (ctx) => {
      await ctx.sudo(sh`rm -rf -- ${p.before} ${p.snapshot}`);
      ctx.log(`removed ${p.before}`);
    },
  };
}

const onMembers = (name: string, steps: KxStep[], extra: Partial<KxTask> = {}): KxTask => ({ name, runOnRoles: ['etcd'], steps, concurrency: 1000, ...extra });

/**
 * Restores backup `backupId` on every member: the snapshot is restored beside the data dir first (nothing stops yet),
 * then every member stops, swaps data dirs and starts; unhealthy after that → every member swaps back.
 */
export function etcdRestore(spec: ClusterSpec, options: { backupId?: number | undefined; healthTimeoutMs?: number } = {}): KxPipeline {
  const id = options.backupId;
  if (id === undefined) throw new RangeError('etcdRestore: say which backup to restore (backupId)');
  if (etcdMembers(spec).length === 0) throw new RangeError('the cluster has no etcd member');
  const p = restorePaths(id, etcdDataDir(spec));
  return {
    name: 'etcdRestore',
    modules: [
      { name: 'Prepare the restore', tasks: [onMembers('Restore the snapshot beside the data dir', [uploadSnapshot(id, p), restoreIntoNewDir(id, p)])] },
      {
        name: 'Restore etcd',
        tasks: [
          onMembers('Stop etcd on every member', [stopEtcd(p)]),
          onMembers('Swap data dirs', [swapDataDirs(id, p)]),
          onMembers('Start etcd on every member', [startEtcd]),
          onMembers('Check the restored cluster', [checkEtcdHealth({ timeoutMs: options.healthTimeoutMs ?? 60_000 })], { ignoreError: true }),
          onMembers('Roll back if unhealthy', [rollBackUnlessHealthy(id, p)]),
          onMembers('Clean up', [removeOldData(id, p)]),
        ],
      },
    ],
  };
}
