import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';
import type { GetRunResult, LogsPageResult } from '../contracts/run-api';
import { labClusterInput } from './testing/lab-spec';
import { testDir } from './testing/pipelines';
import { loginClient } from './testing/server-client';
import { WatchClient } from './testing/watch-client';

const PASSWORD = `pw-${process.pid}-runner-kill`;
const env = { KUBEXMS_ADMIN_PASSWORD: PASSWORD };
const cleanup: Array<() => unknown> = [];
after(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

test('SIGKILL mid-run: every line printed before the kill is on disk, and the next start marks the run interrupted with nothing running', async () => {
  const [host] = await labHosts(1);
  assert.ok(host);
  const dataDir = tempDataDir();
  cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let server: ServerProcess = await startServer({ dataDir, env, testPipelines: true });
  cleanup.push(() => server.stop());
  const api = await loginClient(server.url, PASSWORD);
  const spec = labClusterInput([host]);
  const dir = testDir(spec.name);
  cleanup.push(() => labControl.exec(host.index, `rm -rf ${dir}`));
  const { id: clusterId } = await api.mutate<{ id: number }>('clusters.create', { spec });
  const { runId } = await api.mutate<{ runId: number }>('runs.start', { clusterId, pipeline: 'test:lines' });

  const client = new WatchClient(server.url, api.cookie, runId, { fromStart: true });
  cleanup.push(() => client.close());
  await client.waitFor((c) => c.events.some((e) => e.type === 'log' && e.text === 'kx-line 3.20'), 'the third burst');
  const killedAt = Date.now();
  const killedPid = server.proc.pid;
  await server.kill();
  client.close();
  const seen = client.events.filter((e) => e.type === 'log').map((e) => e.text);

  const printed = (await labControl.exec(host.index, `cat ${dir}/lines.log`)).stdout
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number) as [number, number]);
  const before = printed.filter(([, at]) => at < killedAt).map(([burst]) => burst);
  assert.ok(before.length >= 3, `bursts printed before the kill: ${before.join(', ')}`);

  const dbFile = path.join(dataDir, 'kubexms.db');
  const raw = new Database(dbFile, { readonly: true });
  const stored = (raw.prepare('select seq, text from run_logs where run_id = ? order by seq').all(runId) as { seq: number; text: string }[]).map((r) => r.text);
  assert.equal((raw.prepare('select status from runs where id = ?').get(runId) as { status: string }).status, 'running');
  raw.close();
  for (const burst of before) for (let j = 1; j <= 20; j++) assert.ok(stored.includes(`kx-line ${burst}.${j}`), `kx-line ${burst}.${j} printed before the kill is stored`);
  for (const line of seen) assert.ok(stored.includes(line), `"${line}" was sent to a browser, so it is stored`);

  server = await startServer({ dataDir, env, testPipelines: true });
  assert.match(server.output(), new RegExp(`marked 1 run\\(s\\) left by the previous process as interrupted: #${runId}\\b`));
  const api2 = await loginClient(server.url, PASSWORD);
  const run = await api2.query<GetRunResult>('runs.get', { runId });
  assert.equal(run.run.status, 'interrupted');
  assert.equal(run.run.statusReason, `the kubexms server (pid ${killedPid}) ended while this run was running`);
  assert.deepEqual(run.cells.map((c) => c.status), ['cancelled']);
  assert.equal(run.run.summary.total.running + run.run.summary.total.pending, 0);
  const logs = await api2.query<LogsPageResult>('logs.page', { runId, limit: 5000 });
  assert.deepEqual(logs.lines.map((l) => l.text).filter((t) => t.startsWith('kx-line')), stored.filter((t) => t.startsWith('kx-line')));
  assert.equal(logs.nextSeq, null);

  const db = new Database(dbFile, { readonly: true });
  assert.equal((db.prepare(`select count(*) n from runs where status in ('queued', 'running')`).get() as { n: number }).n, 0);
  const seqs = db.prepare('select seq from run_events where run_id = ? union all select seq from run_logs where run_id = ? order by seq').all(runId, runId) as { seq: number }[];
  assert.deepEqual(seqs.map((r) => r.seq), Array.from({ length: run.run.lastSeq }, (_, i) => i + 1));
  db.close();

  const txt = await fetch(`${server.url}/api/runs/${runId}/logs.txt?host=${host.name}`, { headers: { cookie: api2.cookie } });
  assert.equal(txt.status, 200);
  assert.match(await txt.text(), /n\d+ 0\.0\.0 stdout: kx-line 3\.20\n/);
  const anonymous = await fetch(`${server.url}/api/runs/${runId}/logs.txt`, { redirect: 'manual' });
  assert.notEqual(anonymous.status, 200);
});

test('SIGTERM mid-run: the run is recorded interrupted before the process exits 0, and its remote command is stopped', async () => {
  const [host] = await labHosts(1);
  assert.ok(host);
  const dataDir = tempDataDir();
  cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ dataDir, env, testPipelines: true });
  const api = await loginClient(server.url, PASSWORD);
  const { id: clusterId } = await api.mutate<{ id: number }>('clusters.create', { spec: labClusterInput([host]) });
  const { runId } = await api.mutate<{ runId: number }>('runs.start', { clusterId, pipeline: 'test:sleep' });
  const sleeping = async () => (await labControl.exec(host.index, `ps -eo args= | grep -cx 'sleep 600' || true`)).stdout.trim();
  const deadline = Date.now() + 30_000;
  while ((await sleeping()) !== '1') {
    assert.ok(Date.now() < deadline, 'sleep 600 did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await server.stop(), 0);
  const db = new Database(path.join(dataDir, 'kubexms.db'), { readonly: true });
  const row = db.prepare('select status, status_reason as reason from runs where id = ?').get(runId) as { status: string; reason: string };
  const cells = db.prepare('select status from run_cells where run_id = ?').all(runId) as { status: string }[];
  db.close();
  assert.deepEqual(row, { status: 'interrupted', reason: 'the server was stopped during this run' });
  assert.deepEqual(cells, [{ status: 'cancelled' }]);
  assert.equal(await sleeping(), '0');
});
