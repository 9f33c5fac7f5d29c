import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { sha256Hex } from '../common/files';
import type { ClusterSpec, KxContext, KxPipeline, KxStep } from '../common';
import { catalogContext } from '../common/catalog-context';
import { etcdMembers } from '../pki/etcd-pki';
import { backupSink } from './backup-sink';
import { healthyEndpoint, memberList, snapshotStatus } from './cluster-read';
import { etcdctlArgs } from './render';

/** Scratch space on the member that takes the snapshot; the file is removed once it is copied home. */
export const BACKUP_WORK_DIR = '/var/lib/kubexms-etcd-backup';

const runIdOf = (ctx: KxContext) => {
  const id = Number(ctx.runId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

function clusterIdOf(ctx: KxContext): number {
  const id = Number(catalogContext(ctx.runtime).clusterId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new StepError('internal', 'etcd backups need a stored cluster');
  return id;
}

const saveSnapshot: KxStep = {
  name: 'Save, verify and copy an etcd snapshot',
  // a retry of a backup run takes a new snapshot; the same run never records two
  check: async (ctx) => {
    const runId = runIdOf(ctx);
    return runId !== null && backupSink(ctx.runtime).byRun(runId) !== undefined;
  },
  run: async (ctx) => {
    const sink = backupSink(ctx.runtime);
    const clusterId = clusterIdOf(ctx);
    const { name: member, url: endpoint } = await healthyEndpoint(ctx);
    const file = `${BACKUP_WORK_DIR}/snapshot-${ctx.runId.replace(/[^A-Za-z0-9-]/g, '_')}.db`;
    await ctx.sudo(sh`install -d -m 0700 -- ${BACKUP_WORK_DIR}`);
    try {
      ctx.log(`saving a snapshot from ${endpoint}`);
      await ctx.sudo(sh`${etcdctlArgs([endpoint], { commandTimeout: '120s' })} snapshot save ${file}`, { quiet: true, label: `etcdctl snapshot save (${endpoint})` });
      const status = await snapshotStatus(ctx, file);
      const remoteSha = (await ctx.run(sh`sha256sum -- ${file}`, { sudo: true, quiet: true })).stdout.trim().split(/\s+/)[0] ?? '';
      const members = await memberList(ctx, endpoint);
      const data = await ctx.download(file, { sudo: true });
      const sha256 = sha256Hex(data);
      if (sha256 !== remoteSha) throw new StepError('command', `the snapshot changed on its way home: sha256 ${sha256} here, ${remoteSha} on ${ctx.host.name}`);
      const rec = sink.record(clusterId, { runId: runIdOf(ctx), sha256, sizeBytes: data.length, revision: status.revision, totalKeys: status.totalKeys, member, members, data });
      ctx.log(`backup #${rec.id}: revision ${rec.revision}, ${rec.totalKeys} keys, ${rec.sizeBytes} bytes, sha256 ${rec.sha256}, members ${members.map((m) => m.name).join(', ')}`);
      const pruned = sink.prune(clusterId, rec.id);
      if (pruned.length > 0) ctx.log(`retention removed backup(s) #${pruned.join(', #')}`);
    } finally {
      await ctx.exec(sh`rm -f -- ${file}`, { sudo: true, quiet: true });
    }
  },
};

/** One snapshot, taken from the first etcd member's host through the first healthy member (its own first). */
export function etcdBackup(spec: ClusterSpec): KxPipeline {
  const first = etcdMembers(spec)[0];
  if (!first) throw new RangeError('the cluster has no etcd member');
  return {
    name: 'etcdBackup',
    modules: [{ name: 'Back up etcd', tasks: [{ name: 'Snapshot etcd', runOnRoles: ['etcd'], filter: (h) => h.name === first.name, steps: [saveSnapshot] }] }],
  };
}
