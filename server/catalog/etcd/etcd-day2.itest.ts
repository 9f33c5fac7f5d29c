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
import { readCells, readRunRow } from '../../db/runs';
import { createCluster } from '../../services/clusters/create-cluster';
import { loadClusterForRun } from '../../services/clusters/load-for-run';
import { testEnv, tester, type TestEnv } from '../../services/testing/test-env';
import { etcdBackupStore, listBackups } from '../../services/etcd/backup-store';
import { ServiceError } from '../../errors';
import { kubexms } from '../../cli/testing/cli-process';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import type { KxPipeline } from '../common';
import { clientEndpoints, etcdctlArgs, ETCD_PATHS } from './render';
import { setBackupSink } from './backup-sink';
import { etcdRestore } from './restore';
import { etcdRollingUpdate } from './rolling';
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
  await onHost(hosts[1]!, `for i in $(seq 1 20); do ${ctl('put /kx/k$i v$i')} >/dev/null || exit 1; done; ${ctl(sh`put /kx/secret ${SECRET_VALUE}`)}`);
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

  await onHost(hosts[2]!, `for i in $(seq 1 5); do ${ctl('del /kx/k$i')} || exit 1; done; for i in $(seq 21 25); do ${ctl('put /kx/k$i later')} || exit 1; done; ${ctl('put /kx/k10 overwritten')}`);
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

test('a restore whose cluster does not come up healthy is rolled back on every member: the keyspace is the one before the restore', async () => {
  assert.ok(backupId > 0, 'needs the backup of the first test');
  const [, b] = hosts as [LabHost, LabHost, LabHost];
  await onHost(hosts[0]!, ctl('put /kx/before-failed-restore yes'));
  const was = await keyspace();
  await onHost(b, 'mkdir -p /etc/systemd/system/etcd.service.d && printf "[Service]\\nExecStartPre=/bin/false\\n" > /etc/systemd/system/etcd.service.d/10-kx-broken.conf && systemctl daemon-reload');
  try {
    const r = await runWithContext({ pipeline: etcdRestore(spec, { backupId, healthTimeoutMs: 5000 }), spec, context: { dataDir: env.dir, clusterId, secretBox: env.secretBox }, setup: (rt) => setBackupSink(rt, etcdBackupStore(env.db, env.dir)), connectorFor: labConnectorFactory() });
    assert.equal(r.outcome.status, 'failed');
    assert.match(r.outcome.failure!.message, /the restored cluster is not healthy .*rolled back to the data from before the restore/);
  } finally {
    await onHost(b, 'rm -rf /etc/systemd/system/etcd.service.d && systemctl daemon-reload && systemctl restart --no-block etcd');
  }
  await onHost(hosts[0]!, `for i in $(seq 60); do ${ctl('endpoint health')} >/dev/null 2>&1 && break; sleep 0.5; done`);
  assert.deepEqual(await keyspace(), was);
  for (const h of hosts) assert.match(await onHost(h, `ls -d ${ETCD_PATHS.dataDir}*`), new RegExp(`${ETCD_PATHS.dataDir}.failed-restore-${backupId}`), `${h.name} keeps the restored data aside`);
  for (const h of hosts) await onHost(h, `rm -rf ${ETCD_PATHS.dataDir}.failed-restore-${backupId} /var/lib/kubexms-etcd-restore`);
});

const WRITER = 'kx-etcd-writer';
/** Bound on one write: retried every 100 ms (each try with a 1 s command timeout) until it succeeds or 3 s have passed. */
const WRITE_BOUND_MS = 3000;

/** A transient unit on the first host: one put every 100 ms to all three endpoints; each line "<i> <ok 0|1> <tries> <ms>". */
async function startWriter(): Promise<void> {
  const put = sh`${etcdctlArgs(clientEndpoints(spec), { dialTimeout: '1s', commandTimeout: '1s' })}`;
  const script = `rm -f /tmp/kxw.log /tmp/kxw.stop; i=0; while [ ! -f /tmp/kxw.stop ]; do i=$((i+1)); t0=$(date +%s%3N); ok=0; n=0;
 while :; do n=$((n+1)); if ${put} put /kxw/$i v$i >/dev/null 2>&1; then ok=1; break; fi; [ $(( $(date +%s%3N) - t0 )) -ge ${WRITE_BOUND_MS} ] && break; sleep 0.1; done;
 echo "$i $ok $n $(( $(date +%s%3N) - t0 ))" >> /tmp/kxw.log; sleep 0.1; done`;
  await onHost(hosts[0]!, sh`systemctl reset-failed ${WRITER} 2>/dev/null; systemd-run --quiet --unit=${WRITER} --collect sh -c ${script}`);
  await onHost(hosts[0]!, 'for i in $(seq 50); do [ -s /tmp/kxw.log ] && break; sleep 0.1; done; test -s /tmp/kxw.log');
}

async function stopWriter(): Promise<Array<{ i: number; ok: boolean; tries: number; ms: number }>> {
  await onHost(hosts[0]!, sh`touch /tmp/kxw.stop; for i in $(seq 100); do systemctl is-active --quiet ${WRITER} || break; sleep 0.1; done`);
  return (await onHost(hosts[0]!, 'cat /tmp/kxw.log')).trim().split('\n').map((l) => {
    const [i = 0, ok = 0, tries = 0, ms = 0] = l.split(' ').map(Number);
    return { i, ok: ok === 1, tries, ms };
  });
}

test(`certificate renewal rolls member by member while a writer puts every 100 ms: no write fails (bound ${WRITE_BOUND_MS} ms with retries)`, async () => {
  const certs = async () => Promise.all(hosts.map((h) => onHost(h, 'sha256sum /etc/ssl/etcd/ssl/server.pem /etc/ssl/etcd/ssl/peer.pem /etc/ssl/etcd/ssl/admin.pem /etc/ssl/etcd/ssl/ca.pem')));
  const before = await certs();
  await startWriter();
  let writes: Awaited<ReturnType<typeof stopWriter>> = [];
  let renew;
  try {
    renew = await ended((await runner.start({ clusterId, pipeline: 'renewEtcdCerts' })).runId);
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    writes = await stopWriter();
  }
  assert.equal(renew.status, 'succeeded', renew.statusReason ?? '');
  const after = await certs();
  for (const [i, h] of hosts.entries()) {
    const [was, now] = [before[i]!.split('\n'), after[i]!.split('\n')];
    for (const k of [0, 1, 2]) assert.notEqual(now[k], was[k], `${h.name}: ${was[k]} was not renewed`);
    assert.equal(now[3], was[3], `${h.name}: the CA stays`);
  }
  const restarts = readCells(env.db, renew.id).filter((c) => c.status === 'succeeded' && c.stepId.endsWith('.1')).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
  assert.deepEqual(restarts.map((c) => c.host), hosts.map((h) => h.name), 'each member restarted, one after another');
  for (let k = 1; k < restarts.length; k++) assert.ok((restarts[k]!.startedAt ?? 0) >= (readCells(env.db, renew.id).find((c) => c.host === restarts[k - 1]!.host && c.stepId.endsWith('.2'))!.endedAt ?? Infinity), 'the next member starts after the previous one is healthy');
  const failed = writes.filter((w) => !w.ok);
  const retried = writes.filter((w) => w.tries > 1);
  console.log(`# renewal under a writer: ${writes.length} writes, ${retried.length} retried, slowest ${Math.max(...writes.map((w) => w.ms))} ms, ${failed.length} failed`);
  assert.ok(writes.length >= 10, `only ${writes.length} writes during the renewal`);
  assert.deepEqual(failed, [], `writes failed beyond the ${WRITE_BOUND_MS} ms bound`);
  const stored = await onHost(hosts[2]!, ctl(`get /kxw/${writes.at(-1)!.i} --print-value-only`));
  assert.equal(stored.trim(), `v${writes.at(-1)!.i}`);
});

test('a rolling change stops at a member that does not come back; the members after it keep running untouched; fixed, a rerun finishes', async () => {
  const UNIT = '/etc/systemd/system/etcd.service';
  // the cluster as installed with an older flag: the roll brings each member to the spec's unit
  for (const h of hosts) await onHost(h, `sed -i 's/--snapshot-count=10000/--snapshot-count=9000/' ${UNIT} && grep -q snapshot-count=9000 ${UNIT}`);
  const [a, b, c] = hosts as [LabHost, LabHost, LabHost];
  await onHost(b, 'mkdir -p /etc/systemd/system/etcd.service.d && printf "[Service]\\nExecStartPre=/bin/false\\n" > /etc/systemd/system/etcd.service.d/10-kx-broken.conf');
  const pidOf = (h: LabHost) => onHost(h, 'systemctl show -p MainPID --value etcd');
  const cPid = await pidOf(c);
  try {
    const roll = await run(etcdRollingUpdate(spec, { healthTimeoutMs: 6000 }));
    assert.equal(roll.outcome.status, 'failed');
    assert.match(roll.outcome.failure!.message, new RegExp(`Wait until the member is healthy failed on ${b.name}: etcd member ${b.name} .* is not healthy`));
    const cells = (h: LabHost) => roll.cells.filter((x) => x.host === h.name).map((x) => `${x.step}=${x.status}`);
    assert.ok(cells(a).every((x) => /=(succeeded|skipped)$/.test(x)), cells(a).join(', '));
    assert.ok(cells(c).every((x) => x.endsWith('=cancelled')), cells(c).join(', '));
    assert.match(await onHost(a, `cat ${UNIT}`), /--snapshot-count=10000/);
    assert.match(await onHost(c, `cat ${UNIT}`), /--snapshot-count=9000/, 'the member after the broken one was not touched');
    assert.equal(await pidOf(c), cPid, 'and kept running');
    await onHost(c, ctl('put /kx/during-broken-roll ok'));
  } finally {
    await onHost(b, 'rm -rf /etc/systemd/system/etcd.service.d && systemctl daemon-reload');
  }
  const again = await run(etcdRollingUpdate(spec, { healthTimeoutMs: 30_000 }));
  assert.equal(again.outcome.status, 'succeeded', again.outcome.failure?.message);
  assert.ok(again.cells.filter((x) => x.host === a.name).every((x) => x.status === 'skipped'), 'the member already rolled is skipped');
  for (const h of hosts) assert.match(await onHost(h, `cat ${UNIT}`), /--snapshot-count=10000/);
  assert.notEqual(await pidOf(c), cPid);
  assert.equal((await onHost(a, ctl('get /kx/during-broken-roll --print-value-only'))).trim(), 'ok');
});

test('the CLI lists the backups and the certificate expiry of the cluster', async () => {
  const name = `etcd2-${process.pid}`;
  const backups = await kubexms(['etcd', 'backups', name, '-o', 'json'], env.dir);
  assert.equal(backups.code, 0, backups.stderr);
  const rows = backups.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; sha256: string });
  assert.deepEqual(rows.map((r) => r.id), listBackups(env.db, env.dir, clusterId).map((b) => b.id));
  const certs = await kubexms(['certs', 'list', name], env.dir);
  assert.equal(certs.code, 0, certs.stderr);
  assert.match(certs.stdout, /^CERTIFICATE +KIND +EXPIRES \(UTC\) +DAYS LEFT +SUBJECT\n/);
  for (const h of hosts) assert.match(certs.stdout, new RegExp(`^server-${h.name} +server +\\d{4}-\\d\\d-\\d\\d .* CN=${h.name}$`, 'm'));
  assert.match(certs.stdout, /^ca +ca .* CN=kubexms-etcd-ca$/m);
  const unknown = await kubexms(['etcd', 'backups', 'no-such-cluster'], env.dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no cluster named "no-such-cluster"/);
  const noBackup = await kubexms(['etcd', 'restore', name], env.dir);
  assert.equal(noBackup.code, 2);
  assert.match(noBackup.stderr, /etcd restore: --backup is required/);
});
