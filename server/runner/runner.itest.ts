import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { REDACTED } from '../secrets/redact';
import { ServiceError } from '../errors';
import { readEventsAfter } from '../services/runs/read-run';
import { readCells, readRunRow } from '../db/runs';
import { startHarness, type Harness } from './testing/harness';
import { labClusterInput } from './testing/lab-spec';
import { testDir } from './testing/pipelines';
import { rerunFailed, retry } from '../services/runs/repeat-run';

let hosts: LabHost[];
let h: Harness;
const dirs: string[] = [];

before(async () => {
  hosts = await labHosts(3);
  h = await startHarness();
});
after(async () => {
  await h?.close();
  for (const host of hosts ?? []) for (const d of dirs) await labControl.exec(host.index, `rm -rf ${d}`);
});

const until = async (what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const ended = (runId: number) => h.runner.whenEnded(runId, AbortSignal.timeout(60_000));
const cluster = (opts?: Parameters<typeof labClusterInput>[1]) => {
  const input = labClusterInput(hosts, opts);
  dirs.push(testDir(input.name));
  return { id: h.addCluster(input), name: input.name };
};
const sleeps = async (i: number) => (await labControl.exec(i, `ps -eo args= | grep -cx 'sleep 600' || true`)).stdout.trim();

test('cancel aborts a remote sleep 600 (gone from ps on the host) and ends the run cancelled', async () => {
  const c = cluster();
  const host = hosts[0]!;
  assert.equal(await sleeps(host.index), '0');
  const { runId } = await h.runner.start({ clusterId: c.id, pipeline: 'test:sleep', onlyHosts: [host.name] });
  await until('sleep 600 on the host', async () => (await sleeps(host.index)) === '1');
  assert.deepEqual(h.runner.cancel(runId), { status: 'cancelling' });
  await ended(runId);
  assert.equal(await sleeps(host.index), '0');
  const row = readRunRow(h.env.db, runId)!;
  assert.equal(row.status, 'cancelled');
  const [cell] = readCells(h.env.db, runId);
  assert.equal(cell?.status, 'cancelled');
  assert.equal(cell?.errorKind, 'cancelled');
  assert.throws(() => h.runner.cancel(runId), (e: unknown) => e instanceof ServiceError && e.code === 'CONFLICT');
});

test('two runs on overlapping hosts never run at once: the second is queued with the reason, then runs', async () => {
  const c = cluster();
  const [n1, n2, n3] = hosts.map((x) => x.name) as [string, string, string];
  const first = await h.runner.start({ clusterId: c.id, pipeline: 'test:hold', onlyHosts: [n1, n2] });
  const second = await h.runner.start({ clusterId: c.id, pipeline: 'test:hold', onlyHosts: [n2, n3] });
  const queued = readRunRow(h.env.db, second.runId)!;
  assert.equal(queued.status, 'queued');
  assert.equal(queued.statusReason, `waiting for run #${first.runId} on ${n2}`);
  await ended(first.runId);
  await ended(second.runId);
  const interval = (runId: number, host: string) => {
    const cells = readCells(h.env.db, runId).filter((x) => x.host === host);
    return [Math.min(...cells.map((x) => x.startedAt!)), Math.max(...cells.map((x) => x.endedAt!))] as const;
  };
  const [, firstEnd] = interval(first.runId, n2);
  const [secondStart] = interval(second.runId, n2);
  assert.ok(secondStart >= firstEnd, `on ${n2}: run #${second.runId} started at ${secondStart}, run #${first.runId} ended at ${firstEnd}`);
  const statuses = readEventsAfter(h.env.db, second.runId, 0, 1000).filter((e) => e.type === 'run.status');
  assert.deepEqual(statuses.map((e) => e.type === 'run.status' && [e.status, e.reason ?? null]), [
    ['queued', `waiting for run #${first.runId} on ${n2}`],
    ['running', null],
    ['succeeded', null],
  ]);
  assert.equal(readRunRow(h.env.db, second.runId)!.statusReason, null);
});

test('retry after a failure skips the steps that had succeeded; rerunFailed runs only on the failed hosts', async () => {
  const c = cluster();
  const dir = testDir(c.name);
  const [good, bad] = hosts as [LabHost, LabHost];
  await labControl.exec(good.index, `mkdir -p ${dir} && touch ${dir}/allow`);
  const onlyHosts = [good.name, bad.name];
  const first = await h.runner.start({ clusterId: c.id, pipeline: 'test:steps', onlyHosts });
  await ended(first.runId);
  const cellsOf = (runId: number) => Object.fromEntries(readCells(h.env.db, runId).map((x) => [`${x.stepId}@${x.host}`, x.status]));
  assert.equal(readRunRow(h.env.db, first.runId)!.status, 'failed');
  assert.deepEqual(cellsOf(first.runId), {
    [`0.0.0@${good.name}`]: 'succeeded', [`0.0.1@${good.name}`]: 'succeeded', [`0.0.2@${good.name}`]: 'succeeded',
    [`0.0.0@${bad.name}`]: 'succeeded', [`0.0.1@${bad.name}`]: 'failed', [`0.0.2@${bad.name}`]: 'cancelled',
  });

  const rerun = await rerunFailed(h.services, first.runId);
  await ended(rerun.runId);
  const rerunRow = readRunRow(h.env.db, rerun.runId)!;
  assert.equal(rerunRow.parentRunId, first.runId);
  assert.deepEqual(rerunRow.hosts, [bad.name]);
  assert.deepEqual(cellsOf(rerun.runId), { [`0.0.0@${bad.name}`]: 'skipped', [`0.0.1@${bad.name}`]: 'failed', [`0.0.2@${bad.name}`]: 'cancelled' });

  await labControl.exec(bad.index, `touch ${dir}/allow`);
  const again = await retry(h.services, first.runId);
  await ended(again.runId);
  assert.equal(readRunRow(h.env.db, again.runId)!.status, 'succeeded');
  assert.equal(readRunRow(h.env.db, again.runId)!.parentRunId, first.runId);
  assert.deepEqual(cellsOf(again.runId), {
    [`0.0.0@${good.name}`]: 'skipped', [`0.0.1@${good.name}`]: 'skipped', [`0.0.2@${good.name}`]: 'skipped',
    [`0.0.0@${bad.name}`]: 'skipped', [`0.0.1@${bad.name}`]: 'succeeded', [`0.0.2@${bad.name}`]: 'succeeded',
  });
  for (const host of [good, bad]) assert.equal((await labControl.exec(host.index, `cat ${dir}/ran`)).stdout, 'a\nb\nc\n', `each step ran once on ${host.name}`);
  await assert.rejects(rerunFailed(h.services, again.runId), (e: unknown) => e instanceof ServiceError && e.code === 'PRECONDITION_FAILED');
});

test('a host whose key was never accepted fails with kind hostkey and says what to do; nothing runs there', async () => {
  const c = cluster({ pinned: false });
  const { runId } = await h.runner.start({ clusterId: c.id, pipeline: 'test:hold', onlyHosts: [hosts[0]!.name] });
  await ended(runId);
  const [cell] = readCells(h.env.db, runId);
  assert.equal(cell?.status, 'failed');
  assert.equal(cell?.errorKind, 'hostkey');
  assert.match(cell?.errorMessage ?? '', /has not been accepted yet: open the cluster page/);
});

test('secrets of the spec printed by a remote command are stored redacted', async () => {
  const secret = `s3cret-${process.pid}-sudo`;
  const c = cluster({ sudoPassword: secret });
  const { runId } = await h.runner.start({ clusterId: c.id, pipeline: 'test:leak', onlyHosts: [hosts[0]!.name] });
  await ended(runId);
  const sqlite = h.env.db.$client;
  const dump = JSON.stringify([sqlite.prepare('select * from run_logs where run_id = ?').all(runId), sqlite.prepare('select * from run_events where run_id = ?').all(runId), readCells(h.env.db, runId), readRunRow(h.env.db, runId)]);
  assert.ok(!dump.includes(secret));
  assert.ok(dump.includes(`the sudo password is ${REDACTED}`));
  assert.equal(readCells(h.env.db, runId)[0]?.exitCode, 4);
});

test('start refuses unknown pipelines and host names before anything is stored', async () => {
  const c = cluster();
  await assert.rejects(h.runner.start({ clusterId: c.id, pipeline: 'nope' }), (e: unknown) => e instanceof ServiceError && e.code === 'BAD_REQUEST' && /unknown pipeline "nope"/.test(e.message));
  await assert.rejects(h.runner.start({ clusterId: c.id, pipeline: 'test:hold', onlyHosts: ['ghost'] }), (e: unknown) => e instanceof ServiceError && /unknown host ghost/.test(e.message));
  assert.equal((h.env.db.$client.prepare('select count(*) n from runs where cluster_name = ?').get(c.name) as { n: number }).n, 0);
});
