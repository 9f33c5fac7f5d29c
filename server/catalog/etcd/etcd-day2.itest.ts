import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { sh } from '../../connectors/shell-quote';
import type { ClusterSpec, ClusterSpecInput } from '../../contracts/cluster-spec';
import { createAppRunner, createRegistry } from '../../app-runner';
import { TEST_PIPELINES } from '../../runner/testing/pipelines';
import type { Runner } from '../../runner/runner';
import { readRunRow } from '../../db/runs';
import { createCluster } from '../../services/clusters/create-cluster';
import { loadClusterForRun } from '../../services/clusters/load-for-run';
import { testEnv, tester, type TestEnv } from '../../services/testing/test-env';
import { etcdBackupStore, listBackups } from '../../services/etcd/backup-store';
import { ServiceError } from '../../errors';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import type { KxPipeline } from '../common';
import { clientEndpoints, etcdctlArgs, ETCD_PATHS } from './render';
import { etcdModule, etcdResetTasks } from './tasks';

// etcd day 2 on three real members (Debian's etcd 3.4.23 from the mirror, TLS): backup → restore through the runner as
// the server wires it, the refusals, certificate renewal under a writer, and a rolling change stopped by a broken member.
let hosts: LabHost[];
let env: TestEnv;
let runner: Runner;
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let clusterId: number;
let spec: ClusterSpec;

const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stderr}`);
  return res.stdout;
};
const ctl = (args: string) => `${sh`${etcdctlArgs(clientEndpoints(spec))}`} ${args}`;
/** the whole keyspace as "key=value" lines (values here are plain text) */
const keyspace = async () => {
  const out = await onHost(hosts[0]!, ctl(`get '' --from-key`));
  const lines = out.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  const pairs: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) pairs.push(`${lines[i]}=${lines[i + 1]}`);
  return pairs;
};
const run = (pipeline: KxPipeline) => runWithContext({ pipeline, spec, context: { dataDir: env.dir, clusterId, secretBox: env.secretBox }, connectorFor: labConnectorFactory() });
const ended = async (runId: number) => {
  await runner.whenEnded(runId, AbortSignal.timeout(240_000));
  return readRunRow(env.db, runId)!;
};
const logsOf = (runId: number) => (env.db.$client.prepare('select group_concat(text, char(10)) t from run_logs where run_id = ?').get(runId) as { t: string | null }).t ?? '';
const runCount = () => (env.db.$client.prepare('select count(*) n from runs').get() as { n: number }).n;
/** what a refusal must leave alone: etcd's process on every member and the data dirs beside it */
const hostState = async () => Promise.all(hosts.map((h) => onHost(h, `systemctl show -p MainPID --value etcd; ls -d ${ETCD_PATHS.dataDir}* /var/lib/kubexms-etcd-restore 2>/dev/null; true`)));

function input(name: string, addresses?: string[]): ClusterSpecInput {
  return {
    name,
    kubernetes: { version: 'v1.31.4' },
    etcd: { version: 'v3.4.23' },
    artifacts: { mirror: mirror.url },
    hosts: hosts.map((h, i) => ({
      name: h.name, address: addresses?.[i] ?? h.address, port: h.port, user: 'root', auth: { type: 'key', privateKey: h.rootKey },
      hostKeyFingerprint: h.hostKeyFingerprint, roles: i === 0 ? ['etcd', 'control-plane'] : ['etcd', 'worker'],
    })),
  } as ClusterSpecInput;
}

before(async () => {
  [hosts, mirror] = await Promise.all([labHosts(3), ensureMirror()]);
  env = testEnv();
  runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir }, { registry: createRegistry().registerAll(TEST_PIPELINES) });
  runner.recover();
  clusterId = createCluster(env, { spec: input(`etcd2-${process.pid}`) }, tester).id;
  spec = (await loadClusterForRun(env, clusterId)).spec;
  for (const h of hosts) await onHost(h, `rm -rf /etc/systemd/system/etcd.service.d ${ETCD_PATHS.dataDir}.* /var/lib/kubexms-etcd-restore /var/lib/kubexms-etcd-backup`);
  const reset = await run({ name: 'reset', modules: [{ name: 'reset', tasks: etcdResetTasks(spec) }] });
  assert.equal(reset.outcome.status, 'succeeded', reset.outcome.failure?.message);
  const install = await run({ name: 'install', modules: [etcdModule(spec)] });
  assert.equal(install.outcome.status, 'succeeded', install.outcome.failure?.message);
});

after(async () => {
  await runner?.stop(1000);
  await mirror?.close();
  env?.close();
});

const SECRET_VALUE = `value-that-must-not-reach-a-log-${process.pid}`;
let backupId = 0;

test('backup → write, overwrite, delete → restore: the keyspace equals the one at backup time', async () => {
  for (let i = 1; i <= 20; i++) await onHost(hosts[i % 3]!, ctl(sh`put ${`/kx/k${i}`} ${`v${i}`}`));
  await onHost(hosts[0]!, ctl(sh`put /kx/secret ${SECRET_VALUE}`));
  const atBackup = await keyspace();
  assert.equal(atBackup.length, 21);

  const backup = await ended((await runner.start({ clusterId, pipeline: 'etcdBackup' })).runId);
  assert.equal(backup.status, 'succeeded', backup.statusReason ?? '');
  const [rec] = listBackups(env.db, env.dir, clusterId);
  assert.ok(rec);
  backupId = rec.id;
  assert.equal(rec.runId, backup.id);
  assert.equal(rec.sizeBytes, statSync(rec.path).size);
  assert.equal(statSync(rec.path).mode & 0o777, 0o600);
  assert.ok(rec.revision >= 22, `revision ${rec.revision}`);
  assert.ok(rec.totalKeys >= 21, `${rec.totalKeys} keys`);
  assert.deepEqual(rec.members.map((m) => m.name).sort(), hosts.map((h) => h.name).sort());
  assert.match(logsOf(backup.id), new RegExp(`backup #${rec.id}: revision ${rec.revision}, ${rec.totalKeys} keys, ${rec.sizeBytes} bytes, sha256 ${rec.sha256}`));
  assert.equal((await onHost(hosts[0]!, 'ls -A /var/lib/kubexms-etcd-backup')).trim(), '', 'the snapshot is removed from the member once copied');

  for (let i = 1; i <= 5; i++) await onHost(hosts[0]!, ctl(sh`del ${`/kx/k${i}`}`));
  for (let i = 21; i <= 25; i++) await onHost(hosts[1]!, ctl(sh`put ${`/kx/k${i}`} later`));
  await onHost(hosts[2]!, ctl('put /kx/k10 overwritten'));
  assert.notDeepEqual(await keyspace(), atBackup);

  const t0 = performance.now();
  const restore = await ended((await runner.start({ clusterId, pipeline: 'etcdRestore', backupId })).runId);
  console.log(`# restore of ${rec.sizeBytes} bytes on 3 members: ${Math.round(performance.now() - t0)} ms`);
  assert.equal(restore.status, 'succeeded', restore.statusReason ?? '');
  assert.deepEqual(await keyspace(), atBackup);
  const members = await onHost(hosts[0]!, ctl('member list'));
  assert.equal(members.trim().split('\n').length, 3, members);
  for (const h of hosts) assert.equal((await onHost(h, `ls -d ${ETCD_PATHS.dataDir}* /var/lib/kubexms-etcd-restore/* 2>/dev/null; true`)).trim(), ETCD_PATHS.dataDir, `${h.name}: old data dir and snapshot removed once healthy`);
  for (const id of [backup.id, restore.id]) assert.doesNotMatch(logsOf(id), new RegExp(SECRET_VALUE), `run #${id} logged snapshot content`);
});

test('refused with nothing touched: a backup of another cluster, a damaged snapshot, a restore while a run holds the hosts', async () => {
  assert.ok(backupId > 0, 'needs the backup of the first test');
  const other = createCluster(env, { spec: input(`etcd2-other-${process.pid}`, ['198.51.100.251', '198.51.100.252', '198.51.100.253']) }, tester).id;
  const foreign = etcdBackupStore(env.db, env.dir).record(other, { runId: null, sha256: 'x', sizeBytes: 1, revision: 1, totalKeys: 0, member: 'n1', members: [], data: Buffer.from('x') });
  const refused = async (input: { backupId: number }, code: string, message: RegExp) => {
    const [state, runs] = [await hostState(), runCount()];
    await assert.rejects(runner.start({ clusterId, pipeline: 'etcdRestore', ...input }), (err: unknown) => {
      assert.ok(err instanceof ServiceError, String(err));
      assert.equal(err.code, code);
      assert.match(err.message, message);
      return true;
    });
    assert.equal(runCount(), runs, 'no run was created');
    assert.deepEqual(await hostState(), state, 'no host was touched');
  };
  await refused({ backupId: foreign.id }, 'BAD_REQUEST', new RegExp(`backup #${foreign.id} belongs to cluster "etcd2-other-${process.pid}", not "etcd2-${process.pid}"`));
  await refused({ backupId: 999_999 }, 'BAD_REQUEST', /there is no backup #999999/);

  const rec = listBackups(env.db, env.dir, clusterId).find((b) => b.id === backupId)!;
  const good = readFileSync(rec.path);
  appendFileSync(rec.path, Buffer.from([0]));
  try {
    await refused({ backupId }, 'BAD_REQUEST', new RegExp(`backup #${backupId}: its snapshot file has sha256 [0-9a-f]{64}, but ${rec.sha256} was recorded`));
  } finally {
    writeFileSync(rec.path, good);
  }

  const hold = await runner.start({ clusterId, pipeline: 'test:sleep' });
  try {
    await refused({ backupId }, 'CONFLICT', new RegExp(`etcdRestore needs every host to itself, but run #${hold.runId} \\(${hosts.map((h) => h.name).sort().join(', ')}\\) holds or waits for them`));
  } finally {
    runner.cancel(hold.runId);
    await ended(hold.runId);
  }
});
