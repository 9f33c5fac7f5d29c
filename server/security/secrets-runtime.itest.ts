import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { startServer, tempDataDir, TEST_SERVER_ENTRY, type ServerProcess } from '../../e2e/support/server-process';
import type { GetRunResult, LogsPageResult } from '../contracts/run-api';
import { REDACTED } from '../secrets/redact';
import { testDir } from '../runner/testing/pipelines';
import { loginClient } from '../runner/testing/server-client';
import { WatchClient } from '../runner/testing/watch-client';
import { addHostileLogins, hostileLogins, type HostileLogin } from './testing/hostile-users';
import { freshSecret, freshSecrets, secretClusterSpec, secretLoginsInput } from './testing/secret-cluster';
import { rawGet, socketConnect } from './testing/raw-http';
import { sampleControlNode, startHostSampler, stopHostSampler } from './testing/ps-sampler';
import { findNeedles, scanFiles, secretNeedles, type Needle } from './testing/secret-scan';
import { until } from './testing/util';

const ADMIN = freshSecret('adm');
const S = freshSecrets();

let hosts: LabHost[];
let logins: HostileLogin[];
let server: ServerProcess;
let api: Awaited<ReturnType<typeof loginClient>>;
let needles: Needle[];
let clusterId: number;
let clusterName: string;
const cleanup: Array<() => unknown> = [];

before(async () => {
  hosts = await labHosts(3);
  // kxs0: password login; kxs1: key (own passphrase) or password login; each uses its password for sudo
  logins = hostileLogins(secretLoginsInput(S), 'kxs');
  needles = secretNeedles({ admin: ADMIN, 'ssh password': S.sshPassword, 'sudo password': S.sudoPassword, passphrase: S.passphrase, 'private key': logins[1]!.privateKey, 'registry password': S.registryPassword });
  const undo = await addHostileLogins(hosts, logins);
  cleanup.push(undo);
  const dataDir = tempDataDir();
  cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: ADMIN }, testPipelines: true });
  cleanup.push(() => server.stop());
  api = await loginClient(server.url, ADMIN);
  clusterName = `secrets-${process.pid}`;
  cleanup.push(() => Promise.all(hosts.map((h) => labControl.exec(h.index, `rm -rf ${testDir(clusterName)}`))));
});

after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

const createSecretCluster = async () => (await api.mutate<{ id: number }>('clusters.create', { spec: secretClusterSpec(clusterName, hosts, logins, S) })).id;

const runEnded = async (runId: number) => {
  let run: GetRunResult | undefined;
  await until(`run #${runId} to end`, async () => {
    run = await api.query<GetRunResult>('runs.get', { runId });
    return ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(run.run.status);
  }, 120_000);
  return run!;
};

/** Runs fn while sampling every argv on the control node and the hosts; asserts no secret showed and the samplers saw the run. */
async function sampled<T>(t: TestContext, fn: () => Promise<T>, sessionsOn: readonly LabHost[]): Promise<T> {
  const started = Date.now();
  await Promise.all(hosts.map((h) => startHostSampler(h.index)));
  const control = sampleControlNode(needles);
  try {
    return await fn();
  } finally {
    const local = await control.stop();
    const remote = await Promise.all(hosts.map((h) => stopHostSampler(h.index)));
    t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s sampled: control node ${local.samples} /proc passes + ${local.psRuns} ps runs; hosts ${remote.map((r) => r.samples).join(', ')} ps runs`);
    assert.deepEqual(local.hits, [], 'a secret was in the argv of a process on the control node');
    assert.ok([...local.commands].some((c) => c.includes('server/index.ts') || c.includes(TEST_SERVER_ENTRY)), 'the sampler saw the server process');
    for (const [i, r] of remote.entries()) {
      const h = hosts[i]!;
      assert.deepEqual(findNeedles(r.text, needles), [], `a secret was in the argv of a process on ${h.name}`);
      assert.ok(r.samples >= 5, `${h.name}: ${r.samples} samples`);
      if (sessionsOn.includes(h)) assert.match(r.text, /sshd: kxs\d/, `${h.name}: the sampler saw the run's SSH session`);
    }
  }
}

test('while a cluster with secrets is created and run as password, key+passphrase and sudo users, no process argv on the control node or the hosts shows a secret; no temp file holds one', async (t) => {
  const since = Date.now();
  const run = await sampled(t, async () => {
    clusterId = await createSecretCluster();
    const { runId } = await api.mutate<{ runId: number }>('runs.start', { clusterId, pipeline: 'preflightOnly' });
    return runEnded(runId);
  }, hosts);
  assert.equal(run.run.status, 'succeeded', run.run.statusReason ?? '');

  const dataDir = server.dataDir;
  const inTmp = scanFiles(os.tmpdir(), needles, { sinceMs: since - 2000, skip: (f) => f.startsWith(path.join(dataDir, 'kubexms.db')) });
  assert.deepEqual(inTmp.hits, [], 'temp files hold a secret');
  t.diagnostic(`${inTmp.scanned} files changed in ${os.tmpdir()} scanned`);
  const inData = scanFiles(dataDir, needles, { skip: (f) => f.startsWith(path.join(dataDir, 'kubexms.db')) });
  assert.ok(inData.scanned >= 1, 'the data dir has files besides the DB');
  assert.deepEqual(inData.hits, [], 'the data dir holds a secret outside the encrypted DB');
  const patterns = Buffer.from(needles.map((n) => n.value.toString()).filter((v) => !v.includes('\n')).join('\n')).toString('base64');
  for (const h of hosts) {
    const res = await labControl.exec(h.index, `p=$(mktemp); echo ${patterns} | base64 -d > "$p"; grep -rlF -f "$p" /tmp /var/tmp /home/kxs0 /home/kxs1 2>/dev/null | grep -vx "$p"; rm -f "$p"; true`);
    assert.equal(res.stdout.trim(), '', `files on ${h.name} hold a secret`);
  }
});

test('a step that echoes the sudo password (raw, shell-quoted, base64, split, on stderr) stores, serves and streams only [redacted]', async (t) => {
  const onlyHosts = hosts.slice(0, 2).map((h) => h.name);
  const { runId, watcher, run } = await sampled(t, async () => {
    const { runId } = await api.mutate<{ runId: number }>('runs.start', { clusterId, pipeline: 'test:echo-sudo', onlyHosts });
    const watcher = new WatchClient(server.url, api.cookie, runId, { fromStart: true });
    cleanup.push(() => watcher.close());
    await watcher.waitFor((c) => c.ended, 'the run to end', 120_000);
    return { runId, watcher, run: await runEnded(runId) };
  }, hosts.slice(0, 2));
  assert.equal(run.run.status, 'failed');
  assert.deepEqual(run.cells.map((c) => [c.host, c.exitCode]), onlyHosts.map((h) => [h, 5]));

  const logs = await api.query<LogsPageResult>('logs.page', { runId, limit: 5000 });
  const txt = await (await fetch(`${server.url}/api/runs/${runId}/logs.txt`, { headers: { cookie: api.cookie } })).text();
  const db = new Database(path.join(server.dataDir, 'kubexms.db'), { readonly: true });
  const stored = JSON.stringify([
    db.prepare('select * from run_logs where run_id = ?').all(runId),
    db.prepare('select * from run_events where run_id = ?').all(runId),
    db.prepare('select * from runs where id = ?').all(runId),
  ]);
  db.close();
  const outputs = { 'socket events': JSON.stringify([watcher.snapshot, watcher.events]), 'runs.get': JSON.stringify(run), 'logs.page': JSON.stringify(logs), 'logs.txt': txt, 'the DB rows': stored };
  for (const [where, text] of Object.entries(outputs)) assert.deepEqual(findNeedles(text, needles), [], `${where} hold a secret`);

  for (const host of onlyHosts) {
    const lines = logs.lines.filter((l) => l.host === host).map((l) => `${l.stream}: ${l.text}`);
    for (const want of [`stdout: sudo got: ${REDACTED}`, `stderr: + : ${REDACTED}`, `stderr: ${REDACTED}`]) assert.ok(lines.includes(want), `${host}: no "${want}" in ${JSON.stringify(lines)}`);
    assert.equal(lines.filter((l) => l === `stdout: ${REDACTED}`).length, 2, `${host}: base64 and split forms: ${JSON.stringify(lines)}`);
    assert.ok(watcher.events.some((e) => e.type === 'log' && e.host === host && e.text === `sudo got: ${REDACTED}`), `${host}: the socket got the redacted line`);
  }
  for (const cell of run.cells) assert.match(cell.errorMessage ?? '', /exit(ed)? (code )?5|\b5\b/);
});

test('without a live session neither the logs download nor socket.io run:watch gives out a run', async () => {
  const runs = await api.query<{ items: { id: number }[] }>('runs.list', { clusterId });
  const runId = runs.items[0]!.id;
  const own = await rawGet(server.url, `/api/runs/${runId}/logs.txt`, { cookie: api.cookie });
  assert.equal(own.status, 200);
  assert.match(own.body, /stdout: /, 'the run has logs to leak');

  const other = await loginClient(server.url, ADMIN);
  await other.mutate('auth.logout', {});
  const cookies = { none: undefined, forged: 'kxms_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'logged out': other.cookie };
  const paths = [
    `/api/runs/${runId}/logs.txt`,
    `/api/runs/${runId}/logs.txt?host=${hosts[0]!.name}`,
    `/login/../api/runs/${runId}/logs.txt`,
    `/_next/static/../../api/runs/${runId}/logs.txt`,
    `/_next/static/%2e%2e/%2e%2e/api/runs/${runId}/logs.txt`,
    `/healthz/../api/runs/${runId}/logs.txt`,
    `//api/runs/${runId}/logs.txt`,
  ];
  for (const [who, cookie] of Object.entries(cookies)) {
    for (const p of paths) {
      const res = await rawGet(server.url, p, cookie ? { cookie } : {});
      assert.notEqual(res.status, 200, `${who} ${p}: ${res.status}`);
      assert.doesNotMatch(res.body, /stdout: /, `${who} ${p} returned log lines`);
    }
    const anon = await socketConnect(server.url, cookie);
    anon.socket.close();
    assert.ok(anon.error, `${who}: socket.io accepted the connection`);
    const polling = await socketConnect(server.url, cookie, ['polling']);
    polling.socket.close();
    assert.ok(polling.error, `${who}: socket.io (polling) accepted the connection`);
  }
  const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: server.url } });
  assert.equal(handshake.status, 403);
  const forgedSid = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'text/plain;charset=UTF-8' },
    body: `420${JSON.stringify(['run:watch', { runId, afterSeq: 0 }])}`,
  });
  assert.equal(forgedSid.status, 400);

  const ok = await socketConnect(server.url, api.cookie);
  assert.equal(ok.error, null);
  const ack = await ok.socket.timeout(10_000).emitWithAck('run:watch', { runId });
  ok.socket.close();
  assert.equal(ack.ok, true, 'a logged-in socket can watch the run');
});
