import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../connectors/connector';
import type { EngineEvent } from './events';
import { runPipeline } from './pipeline';
import { captureLogger, fakeFleet, finalCells, makeHosts, testRuntime } from './testing/fake-connector';
import type { FakeHandler } from './testing/fake-connector';
import type { Module, Pipeline, Step, Task } from './types';

const cmdStep = (name: string, extra: Partial<Step> = {}): Step => ({
  name,
  check: async () => false,
  run: async (ctx) => void (await ctx.run(name)),
  ...extra,
});
const task = (name: string, steps: Step[], extra: Partial<Task> = {}): Task => ({ name, steps, ...extra });

async function run(pipeline: Pipeline, handler?: FakeHandler, hostCount = 2) {
  const events: EngineEvent[] = [];
  const fleet = fakeFleet(handler);
  const { logger, errors } = captureLogger();
  const outcome = await runPipeline({
    runId: 'run-7',
    pipeline,
    runtime: testRuntime(makeHosts(hostCount), logger),
    connectorFor: fleet.connectorFor,
    onEvent: (e) => void events.push(e),
    abortGraceMs: 50,
  });
  return { outcome, events, cells: finalCells(events), stats: fleet.stats, errors };
}

const failOn = (command: string): FakeHandler => (cmd) => (cmd === command ? { exitCode: 1, stderr: 'boom\n' } : {});
const statusOf = (events: EngineEvent[], type: 'module.status' | 'task.status', id: string) =>
  events.filter((e) => (e.type === 'module.status' && e.moduleId === id && type === e.type) || (e.type === 'task.status' && e.taskId === id && type === e.type)).map((e) => 'status' in e && e.status);

test('ignoreError: the task is failed-ignored and the module goes on', async () => {
  const mod: Module = { name: 'm', tasks: [task('optional', [cmdStep('bad')], { ignoreError: true }), task('next', [cmdStep('good')])] };
  const { outcome, events, cells } = await run({ name: 'p', modules: [mod] }, failOn('bad'));
  assert.equal(outcome.status, 'succeeded');
  assert.deepEqual(statusOf(events, 'task.status', '0.0'), ['running', 'failed-ignored']);
  assert.deepEqual(statusOf(events, 'task.status', '0.1'), ['running', 'succeeded']);
  assert.deepEqual(statusOf(events, 'module.status', '0'), ['running', 'succeeded']);
  assert.equal(cells.get('0.0.0@h0')?.status, 'failed');
});

test('a failed task stops its module; the pipeline stops at the first failed module; the rest is cancelled', async () => {
  const pipeline: Pipeline = {
    name: 'create',
    modules: [
      { name: 'prep', tasks: [task('ok', [cmdStep('a')])] },
      { name: 'etcd', tasks: [task('install', [cmdStep('bad'), cmdStep('after')]), task('later', [cmdStep('b')])] },
      { name: 'k8s', tasks: [task('init', [cmdStep('c')]), task('none', [cmdStep('d')], { runOnRoles: ['gpu'] })] },
    ],
  };
  const { outcome, events, cells, stats } = await run(pipeline, failOn('bad'));
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.failure?.message ?? '', /^install \/ bad failed on h\d: bad failed with exit code 1: boom$/);
  assert.deepEqual(statusOf(events, 'module.status', '0'), ['running', 'succeeded']);
  assert.deepEqual(statusOf(events, 'module.status', '1'), ['running', 'failed']);
  assert.deepEqual(statusOf(events, 'module.status', '2'), ['cancelled']);
  assert.deepEqual(statusOf(events, 'task.status', '1.1'), ['cancelled']);
  assert.deepEqual(statusOf(events, 'task.status', '2.0'), ['cancelled']);
  assert.deepEqual(statusOf(events, 'task.status', '2.1'), ['cancelled']);
  for (const id of ['1.0.1', '1.1.0', '2.0.0']) for (const h of ['h0', 'h1']) assert.equal(cells.get(`${id}@${h}`)?.status, 'cancelled', id);
  assert.equal(cells.get('1.1.0@h0')?.failure?.message, 'not run: task "install" failed');
  assert.deepEqual([...new Set(stats.calls.map((c) => c.command))], ['a', 'bad']);
  assert.equal(cells.size, outcome.plan.cellCount);
  const runEvents = events.filter((e) => e.type === 'run.status').map((e) => e.type === 'run.status' && e.status);
  assert.deepEqual(runEvents, ['running', 'failed']);
});

test('retries: check and run again after a delay, then succeed; exhausted retries fail', async () => {
  let attempts = 0;
  const flaky: FakeHandler = (cmd) => (cmd === 'flaky' && ++attempts < 3 ? { exitCode: 1, stderr: 'not yet\n' } : {});
  const steps = [cmdStep('flaky', { retries: 2, retryDelayMs: 5 })];
  const { outcome, cells, events } = await run({ name: 'p', modules: [{ name: 'm', tasks: [task('t', steps)] }] }, flaky, 1);
  assert.equal(outcome.status, 'succeeded');
  assert.equal(cells.get('0.0.0@h0')?.attempt, 3);
  assert.equal(events.filter((e) => e.type === 'log' && e.text.startsWith('attempt ')).length, 2);
  const always = await run({ name: 'p', modules: [{ name: 'm', tasks: [task('t', [cmdStep('bad', { retries: 1 })])] }] }, failOn('bad'), 1);
  assert.equal(always.cells.get('0.0.0@h0')?.status, 'failed');
  assert.equal(always.cells.get('0.0.0@h0')?.attempt, 2);
  assert.equal(always.stats.calls.length, 2);
});

test('connection-level failures fail the step with their kind; unreachable is retried, auth/hostkey are not', async () => {
  for (const [kind, calls] of [['hostkey', 1], ['auth', 1], ['unreachable', 3]] as const) {
    const handler: FakeHandler = () => ({ error: new ConnectorError(kind, `no: ${kind}`) });
    const steps = [cmdStep('x', { retries: 2 })];
    const { cells, stats, outcome } = await run({ name: 'p', modules: [{ name: 'm', tasks: [task('t', steps)] }] }, handler, 1);
    assert.equal(outcome.failure?.kind, kind);
    assert.equal(cells.get('0.0.0@h0')?.failure?.message, `no: ${kind}`);
    assert.equal(stats.calls.length, calls, kind);
  }
});

test('a connector factory that throws fails the step with that kind', async () => {
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'r',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks: [task('t', [cmdStep('x')])] }] },
    runtime: testRuntime(makeHosts(1)),
    connectorFor: () => {
      throw new ConnectorError('auth', 'publickey refused for root@198.51.100.10');
    },
    onEvent: (e) => void events.push(e),
  });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.failure?.kind, 'auth');
  assert.equal(finalCells(events).get('0.0.0@h0')?.failure?.message, 'publickey refused for root@198.51.100.10');
});

test('timeout: the command is aborted and the step fails with kind timeout; a step ignoring its signal is abandoned', async () => {
  const slow: FakeHandler = () => ({ delayMs: 10_000 });
  const steps = [cmdStep('slow', { timeoutMs: 30 })];
  const { outcome, cells, stats } = await run({ name: 'p', modules: [{ name: 'm', tasks: [task('t', steps)] }] }, slow, 1);
  assert.equal(outcome.status, 'failed');
  assert.equal(cells.get('0.0.0@h0')?.failure?.kind, 'timeout');
  assert.deepEqual(stats.aborted, ['h0:slow']);
  const stubborn: Step = { name: 'stubborn', check: async () => false, run: () => new Promise<void>((r) => setTimeout(r, 2000).unref()), timeoutMs: 20 };
  const second = await run({ name: 'p', modules: [{ name: 'm', tasks: [task('t', [stubborn])] }] }, undefined, 1);
  assert.equal(second.cells.get('0.0.0@h0')?.failure?.kind, 'timeout');
});

test('seq starts at 1, is strictly increasing and gap-free across a whole pipeline; connectors closed once', async () => {
  const pipeline: Pipeline = {
    name: 'p',
    modules: [
      { name: 'a', tasks: [task('t1', [cmdStep('x'), cmdStep('y')], { concurrency: 2 }), task('t2', [cmdStep('z')])] },
      { name: 'b', tasks: [task('t3', [cmdStep('w')])] },
    ],
  };
  const { events, outcome, stats } = await run(pipeline, () => ({ stdout: 'line\n', delayMs: 1 }), 5);
  assert.ok(events.length > 50);
  events.forEach((e, i) => {
    assert.equal(e.seq, i + 1);
    assert.equal(e.runId, 'run-7');
  });
  assert.equal(outcome.lastSeq, events.length);
  assert.equal(events[0]?.type, 'run.status');
  assert.deepEqual(stats.closed.sort(), ['h0', 'h1', 'h2', 'h3', 'h4']);
});

test('a throwing listener is logged and never breaks the run or other listeners', async () => {
  const { logger, errors } = captureLogger();
  const seen: number[] = [];
  const outcome = await runPipeline({
    runId: 'r',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks: [task('t', [cmdStep('x')])] }] },
    runtime: testRuntime(makeHosts(2), logger),
    connectorFor: fakeFleet().connectorFor,
    onEvent: [
      () => {
        throw new Error('listener bug');
      },
      async () => {
        throw new Error('async listener bug');
      },
      (e) => void seen.push(e.seq),
    ],
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(outcome.status, 'succeeded');
  assert.equal(seen.length, outcome.lastSeq);
  assert.equal(errors.filter((e) => e.includes('"Error: listener bug')).length, outcome.lastSeq);
  assert.equal(errors.filter((e) => e.includes('async listener bug')).length, outcome.lastSeq);
});
