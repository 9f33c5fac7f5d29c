import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { RunEvent } from '../contracts/run-events';
import { REDACTED } from '../secrets/redact';
import { readEventsAfter } from '../services/runs/read-run';
import { planPipeline } from '../engine';
import { RunBus } from './bus';
import { insertPlannedRun } from './cell-state';
import { MAX_BATCH, Recorder } from './recorder';
import { INTERRUPTED_RUNNING, markInterrupted } from './recover';
import { RunInfo } from '../contracts/run-types';
import { readCells, readRunRow, toRunInfo } from '../db/runs';
import { fakeRunner } from './testing/fake-runner';

const f = fakeRunner((command) => {
  if (command.includes('many')) return { stdout: Array.from({ length: 1200 }, (_, i) => `line ${i}`).join('\n') + '\n', delayMs: 20 };
  if (command.includes('leak')) return { stdout: 'password is sudo-pass-2\n', stderr: 'ssh-pass-2 rejected\n', exitCode: 1 };
  return { stdout: 'ok\n', delayMs: 5 };
});
after(() => f.close());

f.registry.register('unit:many', () => ({
  name: 'unit:many',
  modules: [{ name: 'M', tasks: [{ name: 'T', steps: [{ name: 'many', check: async () => false, run: async (ctx) => void (await ctx.run('many')) }, { name: 'two', check: async () => false, run: async (ctx) => void (await ctx.run('two')) }] }] }],
}));
f.registry.register('unit:leak', () => ({
  name: 'unit:leak',
  modules: [{ name: 'M', tasks: [{ name: 'T', steps: [{ name: 'leak', check: async () => false, run: async (ctx) => void (await ctx.run('leak')) }] }] }],
}));

test('every engine event lands in SQLite, gap-free, before the bus sees it, in batches', async () => {
  const seen: RunEvent[] = [];
  let flushes = 0;
  let notCommitted = 0;
  const off = f.runner.bus.subscribe({
    events(runId, events) {
      flushes += 1;
      const lastSeq = readRunRow(f.db, runId)!.lastSeq;
      notCommitted += events.filter((e) => e.seq > lastSeq).length;
      seen.push(...events);
    },
  });
  const { runId } = await f.runner.start({ clusterId: f.clusterId, pipeline: 'unit:many' });
  await f.runner.whenEnded(runId, AbortSignal.timeout(30_000));
  off();
  const row = readRunRow(f.db, runId)!;
  const stored = readEventsAfter(f.db, runId, 0, 100_000);
  assert.equal(row.status, 'succeeded');
  assert.equal(notCommitted, 0);
  assert.deepEqual(stored.map((e) => e.seq), Array.from({ length: row.lastSeq }, (_, i) => i + 1));
  assert.deepEqual(seen, stored);
  const logs = stored.filter((e) => e.type === 'log');
  assert.ok(logs.length >= 3 * 1200);
  assert.ok(flushes < stored.length / 10, `${flushes} flushes for ${stored.length} events`);
  assert.ok(flushes >= Math.ceil(logs.length / MAX_BATCH));
  const info = toRunInfo(row);
  assert.deepEqual(RunInfo.parse(info), info, 'the stored row read back is exactly a RunInfo (no spec snapshot, no plan)');
  assert.deepEqual(info.summary.total, { pending: 0, running: 0, succeeded: 6, skipped: 0, failed: 0, cancelled: 0 });
  assert.equal(info.summary.hosts.n2?.succeeded, 2);
  assert.equal(info.summary.nodes['0.0'], 'succeeded');
  assert.ok(readCells(f.db, runId).every((c) => c.status === 'succeeded' && c.seq > 0));
});

test('known secrets of the spec are redacted from log lines, failure messages and stderr tails before storage', async () => {
  const { runId } = await f.runner.start({ clusterId: f.clusterId, pipeline: 'unit:leak' });
  await f.runner.whenEnded(runId, AbortSignal.timeout(30_000));
  const dump = JSON.stringify([f.db.$client.prepare('select * from run_logs where run_id = ?').all(runId), f.db.$client.prepare('select * from run_events where run_id = ?').all(runId), readCells(f.db, runId), readRunRow(f.db, runId)]);
  for (const secret of ['sudo-pass-2', 'ssh-pass-2', 'pp-1', 'reg-pass-1']) assert.ok(!dump.includes(secret), `${secret} stored`);
  assert.ok(dump.includes(`password is ${REDACTED}`));
  const failed = readCells(f.db, runId).find((c) => c.host === 'n1')!;
  assert.equal(failed.status, 'failed');
  assert.match(failed.stderrTail ?? '', /\[redacted\] rejected/);
});

test('a run left running by a dead process becomes interrupted with open cells and nodes closed by events', () => {
  const plan = planPipeline({ name: 'p', modules: [{ name: 'M', tasks: [{ name: 'T', steps: [{ name: 's1', check: async () => false, run: async () => {} }, { name: 's2', check: async () => false, run: async () => {} }] }] }] }, [
    { name: 'a', address: 'a', roles: [] },
    { name: 'b', address: 'b', roles: [] },
  ]);
  const { runId, cells } = insertPlannedRun(f.db, { cluster: { id: f.clusterId, name: 'c' }, pipeline: 'p', spec: f.spec, plan, hosts: ['a', 'b'], options: {}, parentRunId: null, createdBy: null });
  const dead = new Recorder({ db: f.db, bus: new RunBus(), runId, lastSeq: 0, cells, plan, redact: (t) => t });
  dead.record({ type: 'run.status', pipeline: 'p', status: 'running', failure: null });
  dead.record({ type: 'module.status', moduleId: '0', module: 'M', status: 'running' });
  const step = { type: 'step.status', moduleId: '0', taskId: '0.0', stepId: '0.0.0', step: 's1', attempt: 1, startedAt: 1, endedAt: null, exitCode: null, failure: null } as const;
  dead.record({ ...step, host: 'a', status: 'running' });
  dead.record({ ...step, host: 'a', status: 'succeeded', endedAt: 2 });
  dead.record({ ...step, host: 'b', status: 'running' });
  dead.record({ type: 'log', host: 'b', taskId: '0.0', stepId: '0.0.0', stream: 'stdout', text: 'half way' });
  dead.flush();
  assert.equal(readRunRow(f.db, runId)!.status, 'running');

  assert.ok(markInterrupted(f.db, new RunBus()).includes(runId));
  const row = readRunRow(f.db, runId)!;
  assert.equal(row.status, 'interrupted');
  assert.equal(row.statusReason, INTERRUPTED_RUNNING);
  const byCell = new Map(readCells(f.db, runId).map((c) => [`${c.stepId}@${c.host}`, c]));
  assert.equal(byCell.get('0.0.0@a')?.status, 'succeeded');
  for (const k of ['0.0.0@b', '0.0.1@a', '0.0.1@b']) assert.equal(byCell.get(k)?.status, 'cancelled', k);
  const events = readEventsAfter(f.db, runId, 0, 10_000);
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: row.lastSeq }, (_, i) => i + 1));
  assert.deepEqual(events.slice(6).map((e) => `${e.type}:${'status' in e ? e.status : ''}`), [
    'step.status:cancelled', 'step.status:cancelled', 'step.status:cancelled', 'task.status:cancelled', 'module.status:cancelled', 'run.status:interrupted',
  ]);
  const info = toRunInfo(row);
  assert.deepEqual(info.summary.total, { pending: 0, running: 0, succeeded: 1, skipped: 0, failed: 0, cancelled: 3 });
  assert.equal(info.summary.nodes['0'], 'cancelled');
  assert.deepEqual(markInterrupted(f.db, new RunBus()), []);
});

test('the recorder redacts its own copy of an event: the caller keeps its object unchanged, runId and seq are the recorder’s', () => {
  const plan = planPipeline({ name: 'p', modules: [{ name: 'M', tasks: [{ name: 'T', steps: [{ name: 's1', check: async () => false, run: async () => {} }] }] }] }, [{ name: 'a', address: 'a', roles: [] }]);
  const { runId, cells } = insertPlannedRun(f.db, { cluster: { id: f.clusterId, name: 'c' }, pipeline: 'p', spec: f.spec, plan, hosts: ['a'], options: {}, parentRunId: null, createdBy: null });
  const rec = new Recorder({ db: f.db, bus: new RunBus(), runId, lastSeq: 0, cells, plan, redact: (t) => t.replaceAll('hunter2', REDACTED) });
  // what the engine hands over: its own string run id and seq, which the stored event must not keep
  const line = { type: 'log', runId: 'engine-run', seq: 99, ts: 5, host: 'a', taskId: '0.0', stepId: '0.0.0', stream: 'stdout', text: 'pw hunter2' } as const;
  const failure = { kind: 'command' as const, message: 'hunter2 refused', exitCode: 1, stderrTail: 'x hunter2' };
  const status = { type: 'step.status', moduleId: '0', taskId: '0.0', stepId: '0.0.0', step: 's1', host: 'a', status: 'failed', attempt: 1, startedAt: 1, endedAt: 2, exitCode: 1, failure } as const;
  const stored = [rec.record(line), rec.record(status)];
  rec.close();
  assert.equal(line.text, 'pw hunter2');
  assert.deepEqual(failure, { kind: 'command', message: 'hunter2 refused', exitCode: 1, stderrTail: 'x hunter2' });
  assert.deepEqual(stored.map((e) => [e?.runId, e?.seq]), [[runId, 1], [runId, 2]]);
  assert.deepEqual(readEventsAfter(f.db, runId, 0, 10), stored);
  assert.ok(!JSON.stringify(stored).includes('hunter2'));
});
