import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { loginCookie } from '../../e2e/support/http-session';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';
import type { RunEvent } from '../contracts/run-events';
import type { RunWatchResult, RunsChanged } from '../contracts/run-socket';
import { acquireRunnerLock } from '../data-dir/lock';
import { kubexms, writeLabClusterFile } from './testing/cli-process';

let hosts: LabHost[];
let dir: string;
let dataDir: string;
let file: string;
let server: ServerProcess | null = null;
const PASSWORD = 'cli-itest-password';

before(async () => {
  hosts = await labHosts(3);
  dir = tempDataDir('kubexms-cli-');
  dataDir = path.join(dir, 'data');
  file = path.join(dir, 'cluster.yaml');
  writeLabClusterFile(file, 'cli-itest', hosts, labControl.paths().key);
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => new Database(path.join(dataDir, 'kubexms.db'), { readonly: true });
const jsonLines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('an unknown flag prints the usage and exits 2; nothing is opened', async () => {
  const r = await kubexms(['preflight', '-f', file, '--frobnicate'], dataDir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^kubexms: unknown option --frobnicate\n\nusage: kubexms preflight -f FILE \[options\]/);
  assert.equal(fs.existsSync(dataDir), false);
});

test('a spec error names file, line, column and field and exits 2; nothing is saved or run', async () => {
  const bad = path.join(dir, 'bad.yaml');
  const second = `{name: ${hosts[1]!.name}, `;
  const text = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => (l.includes(second) ? l.replace(/port: \d+/, 'port: 70000') : l))
    .join('\n');
  fs.writeFileSync(bad, text);
  const line = text.split('\n').findIndex((l) => l.includes('port: 70000')) + 1;
  const r = await kubexms(['preflight', '-f', bad, '--accept-new-host-keys'], dataDir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^ {2}${bad.replace(/[.]/g, '\\.')}:${line}:\\d+: spec\\.hosts\\[1\\]\\.port: must be between 1 and 65535$`, 'm'));
  assert.match(r.stderr, /nothing was saved or run/);
  assert.equal(fs.existsSync(dataDir), false);
});

test('hosts whose key is not accepted: exit 1 with each fingerprint and what to do; no run is created', async () => {
  const r = await kubexms(['preflight', '-f', file], dataDir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  for (const h of hosts) assert.ok(r.stderr.includes(`${h.name} (${h.address}:${h.port}) presents ${h.hostKeyFingerprint}: not accepted yet`), r.stderr);
  assert.match(r.stderr, /rerun with --accept-new-host-keys/);
  const d = db();
  assert.equal((d.prepare('select count(*) n from runs').get() as { n: number }).n, 0);
  d.close();
});

test('preflight from a KubeKey file, in-process: keys pinned on first use, exit 0, the run is in the history', async () => {
  const r = await kubexms(['preflight', '-f', file, '--accept-new-host-keys'], dataDir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const h of hosts) assert.ok(r.stdout.includes(`pinned the host key of ${h.name} (${h.address}:${h.port}): ${h.hostKeyFingerprint}`), r.stdout);
  assert.match(r.stdout, /in-process on /);
  const runId = Number(/^run #(\d+) preflightOnly: succeeded — 39\/39 steps/m.exec(r.stdout)?.[1]);
  assert.ok(runId > 0, r.stdout);
  assert.match(r.stdout, /^HOST\s+CHECK\s+STATUS\s+MEASURED\s+EXPECTED$/m);
  assert.equal(r.stdout.split('\n').filter((l) => /^n\d+\s+\S.*\s+passed\s/.test(l)).length, hosts.length * 10);

  const d = db();
  const row = d.prepare('select pipeline, status, cluster_name, created_by from runs where id = ?').get(runId) as Record<string, string>;
  assert.deepEqual(row, { pipeline: 'preflightOnly', status: 'succeeded', cluster_name: 'cli-itest', created_by: `cli:${process.env.USER ?? 'root'}` });
  const cells = d.prepare('select status, count(*) n from run_cells where run_id = ? group by status').all(runId) as { status: string; n: number }[];
  assert.deepEqual(Object.fromEntries(cells.map((c) => [c.status, c.n])), { skipped: 3, succeeded: 36 });
  const pins = d.prepare('select name, host_key_fingerprint fp from hosts order by name').all() as { name: string; fp: string }[];
  assert.deepEqual(pins, hosts.map((h) => ({ name: h.name, fp: h.hostKeyFingerprint })).sort((a, b) => a.name.localeCompare(b.name)));
  d.close();

  const list = await kubexms(['runs', 'list'], dataDir);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^#${runId}\\s+succeeded\\s+preflightOnly\\s+cli-itest\\s+3\\s`, 'm'));
  const show = await kubexms(['runs', 'show', String(runId)], dataDir);
  assert.match(show.stdout, new RegExp(`^STEP\\s+${hosts.map((h) => h.name).join('\\s+')}$`, 'm'));
  assert.match(show.stdout, /^ {2}Memory › Check memory\s+✓\s+✓\s+✓$/m);
  const logs = await kubexms(['runs', 'logs', String(runId), '--host', hosts[0]!.name, '--step', 'check memory'], dataDir);
  assert.match(logs.stdout, /^preflight Memory: PASSED — \d+ MiB/m);
});

test('--output json: every stdout line parses; the run events in seq order, ending with the final run status', async () => {
  const r = await kubexms(['preflight', '-f', file, '-o', 'json'], dataDir);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  assert.equal(first.type, 'run.created');
  assert.equal(first.mode, 'in-process');
  assert.deepEqual([last.type, last.status, last.exitCode, last.runId], ['run.result', 'succeeded', 0, first.runId]);
  const events = lines.slice(1, -1) as RunEvent[];
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'every seq from 1, once, in order');
  assert.ok(events.every((e) => e.runId === first.runId));
  const lastEvent = events[events.length - 1]!;
  assert.ok(lastEvent.type === 'run.status' && lastEvent.status === 'succeeded');
  for (const h of hosts) assert.ok(events.some((e) => e.type === 'step.status' && e.host === h.name && e.step === 'Preflight report' && e.status === 'succeeded'));
  assert.match(r.stderr, /updated cluster "cli-itest"/, 'notes go to stderr, stdout stays JSON');
});

test('while another CLI runs a job in-process on the data dir, a second one refuses (no second runner, no lost host locks)', async () => {
  const held = acquireRunnerLock(dataDir, 'cli');
  assert.ok('lock' in held);
  try {
    const r = await kubexms(['preflight', '-f', file], dataDir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`another kubexms CLI \\(pid ${process.pid}\\) is running a job in-process on ${dataDir}`));
  } finally {
    held.lock.release();
  }
});

test('with a server on the data dir the CLI run goes through it, and a socket.io client of that server sees it live', async () => {
  server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: PASSWORD } });
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as { url: string; pid: number };
  assert.deepEqual(info, { ...info, url: server.url, pid: server.proc.pid });
  assert.equal(fs.statSync(path.join(dataDir, 'cli-token')).mode & 0o777, 0o600);

  const cookie = await loginCookie(server.url, PASSWORD);
  const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie, origin: server.url } });
  const changes: RunsChanged['run'][] = [];
  socket.on('runs:changed', (c: RunsChanged) => changes.push(c.run));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  try {
    const r = await kubexms(['preflight', '-f', file, '-o', 'json'], dataDir);
    assert.equal(r.code, 0, r.stderr);
    const lines = jsonLines(r.stdout);
    const created = lines[0]!;
    assert.equal(created.mode, 'server');
    assert.match(r.stderr, new RegExp(`through the server at ${server.url.replace(/[.]/g, '\\.')} \\(live in its dashboard\\)`));
    const runId = created.runId as number;
    const seen = changes.filter((c) => c.id === runId);
    assert.ok(seen.some((c) => c.status === 'queued' || c.status === 'running'), `live updates while it ran: ${seen.map((c) => c.status).join(',')}`);
    assert.equal(seen[seen.length - 1]?.status, 'succeeded');
    assert.equal(seen[seen.length - 1]?.createdBy, 'admin');

    const ack = await new Promise<RunWatchResult>((resolve) => socket.emit('run:watch', { runId, afterSeq: 0 }, resolve));
    assert.equal(ack.mode, 'replay');
    const cliSeqs = lines.slice(1, -1).map((e) => e.seq);
    assert.deepEqual(ack.mode === 'replay' ? ack.events.map((e) => e.seq) : [], cliSeqs, 'the server recorded exactly the events the CLI showed');
  } finally {
    socket.close();
  }

  const list = await kubexms(['runs', 'list', '-o', 'json'], dataDir);
  assert.deepEqual(jsonLines(list.stdout).map((x) => x.status), ['succeeded', 'succeeded', 'succeeded']);
  assert.equal(await server.stop(), 0);
  server = null;
  for (const f of ['server.json', 'cli-token', 'runner.lock']) assert.equal(fs.existsSync(path.join(dataDir, f)), false, `${f} removed at shutdown`);
});
