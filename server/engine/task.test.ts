import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from './events';
import { runPipeline } from './pipeline';
import { fakeFleet, finalCells, makeHosts, maxHostsRunning, testRuntime } from './testing/fake-connector';
import type { Host, Step, Task } from './types';

const execStep = (name: string, command = name, check = false): Step => ({
  name,
  check: async () => check,
  run: async (ctx) => {
    await ctx.run(command);
  },
});

async function runTasks(tasks: Task[], hosts: Host[], fleet = fakeFleet()) {
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'r1',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks }] },
    runtime: testRuntime(hosts),
    connectorFor: fleet.connectorFor,
    onEvent: (e) => void events.push(e),
  });
  return { outcome, events, cells: finalCells(events), stats: fleet.stats };
}

test('a step whose check says done is skipped and never run', async () => {
  let runs = 0;
  const step: Step = { name: 'done already', check: async () => true, run: async () => void runs++ };
  const { cells, outcome, events } = await runTasks([{ name: 't', steps: [step, execStep('next')] }], makeHosts(2));
  assert.equal(runs, 0);
  assert.equal(outcome.status, 'succeeded');
  assert.equal(cells.get('0.0.0@h0')?.status, 'skipped');
  assert.equal(cells.get('0.0.1@h1')?.status, 'succeeded');
  const h0 = events.filter((e) => e.type === 'step.status' && e.stepId === '0.0.0' && e.host === 'h0').map((e) => e.type === 'step.status' && e.status);
  assert.deepEqual(h0, ['running', 'skipped']);
});

test('steps run in order on each host, check before run', async () => {
  const seen = new Map<string, string[]>();
  const note = (host: string, what: string) => seen.set(host, [...(seen.get(host) ?? []), what]);
  const step = (name: string): Step => ({
    name,
    check: async (ctx) => (note(ctx.host.name, `check ${name}`), false),
    run: async (ctx) => {
      await ctx.exec(`sleep-${name}`);
      note(ctx.host.name, `run ${name}`);
    },
  });
  const fleet = fakeFleet((_cmd, { host }) => ({ delayMs: host === 'h1' ? 5 : 1 }));
  await runTasks([{ name: 't', steps: [step('a'), step('b'), step('c')] }], makeHosts(3), fleet);
  for (const host of ['h0', 'h1', 'h2']) {
    assert.deepEqual(seen.get(host), ['check a', 'run a', 'check b', 'run b', 'check c', 'run c']);
  }
});

for (const [limit, hosts] of [[undefined, 25], [1, 5], [3, 12], [200, 600]] as const) {
  test(`concurrency ${limit ?? 'default'} with ${hosts} hosts: exactly that many hosts in flight, never more`, async () => {
    const fleet = fakeFleet(() => ({ delayMs: 15 }));
    const task: Task = { name: 't', steps: [execStep('a'), execStep('b')], ...(limit ? { concurrency: limit } : {}) };
    const { stats, events, outcome } = await runTasks([task], makeHosts(hosts), fleet);
    assert.equal(outcome.status, 'succeeded');
    assert.equal(stats.calls.length, hosts * 2);
    assert.equal(stats.maxInFlight, limit ?? 10);
    assert.equal(maxHostsRunning(events), limit ?? 10);
  });
}

test('runOnRoles and filter select the target hosts', async () => {
  const hosts = makeHosts(5, (i) => (i < 2 ? ['control-plane', 'etcd'] : ['worker']));
  const fleet = fakeFleet();
  const tasks: Task[] = [
    { name: 'cp', runOnRoles: ['control-plane'], steps: [execStep('cp')] },
    { name: 'first', filter: (h) => h.name === 'h0', steps: [execStep('first')] },
    { name: 'workers but h4', runOnRoles: ['worker'], filter: (h) => h.name !== 'h4', steps: [execStep('w')] },
    { name: 'all', runOnRoles: [], steps: [execStep('all')] },
  ];
  const { stats, outcome } = await runTasks(tasks, hosts, fleet);
  const hostsOf = (cmd: string) => stats.calls.filter((c) => c.command === cmd).map((c) => c.host).sort();
  assert.deepEqual(hostsOf('cp'), ['h0', 'h1']);
  assert.deepEqual(hostsOf('first'), ['h0']);
  assert.deepEqual(hostsOf('w'), ['h2', 'h3']);
  assert.deepEqual(hostsOf('all'), ['h0', 'h1', 'h2', 'h3', 'h4']);
  assert.deepEqual(outcome.plan.modules[0]?.tasks.map((t) => t.hosts), [['h0', 'h1'], ['h0'], ['h2', 'h3'], ['h0', 'h1', 'h2', 'h3', 'h4']]);
});

test('a task with no target hosts is logged and skipped, the next task runs', async () => {
  const tasks: Task[] = [{ name: 'nobody', runOnRoles: ['gpu'], steps: [execStep('x')] }, { name: 'after', steps: [execStep('y')] }];
  const { events, stats, outcome } = await runTasks(tasks, makeHosts(2));
  assert.equal(outcome.status, 'succeeded');
  const skipped = events.find((e) => e.type === 'task.status' && e.taskId === '0.0');
  assert.equal(skipped?.type === 'task.status' && skipped.status, 'skipped');
  assert.ok(events.some((e) => e.type === 'log' && e.taskId === '0.0' && e.stream === 'system' && e.text.includes('no target hosts')));
  assert.deepEqual(stats.calls.map((c) => c.command), ['y', 'y']);
});

test('an empty host set: every task skipped, run succeeds', async () => {
  const { outcome, events } = await runTasks([{ name: 't', steps: [execStep('x')] }], []);
  assert.equal(outcome.status, 'succeeded');
  assert.equal(outcome.plan.cellCount, 0);
  assert.ok(!events.some((e) => e.type === 'step.status'));
});

test('first failure: not-started steps cancelled, in-flight commands finish with their real result', async () => {
  const fleet = fakeFleet((cmd, { host }) => {
    if (cmd === 'a' && host === 'h0') return { delayMs: 5, exitCode: 2, stderr: 'disk full\n' };
    return { delayMs: cmd === 'a' ? 60 : 1 };
  });
  const task: Task = { name: 't', concurrency: 3, steps: [execStep('a'), execStep('b')] };
  const { cells, stats, outcome, events } = await runTasks([task], makeHosts(6), fleet);
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.failure?.kind, 'command');
  assert.match(outcome.failure?.message ?? '', /t \/ a failed on h0: a failed with exit code 2: disk full/);
  const h0a = cells.get('0.0.0@h0');
  assert.equal(h0a?.status, 'failed');
  assert.equal(h0a?.exitCode, 2);
  assert.equal(h0a?.failure?.stderrTail, 'disk full\n');
  for (const h of ['h1', 'h2']) {
    assert.equal(cells.get(`0.0.0@${h}`)?.status, 'succeeded', `${h} in-flight step finished`);
    assert.equal(cells.get(`0.0.1@${h}`)?.status, 'cancelled');
  }
  for (const h of ['h3', 'h4', 'h5']) for (const s of ['0.0.0', '0.0.1']) assert.equal(cells.get(`${s}@${h}`)?.status, 'cancelled');
  assert.equal(cells.get('0.0.1@h0')?.status, 'cancelled');
  assert.deepEqual(stats.aborted, []);
  assert.deepEqual(stats.calls.map((c) => c.host).sort(), ['h0', 'h1', 'h2']);
  const lastTask = events.filter((e) => e.type === 'task.status').at(-1);
  assert.ok(lastTask?.type === 'task.status');
  assert.equal(lastTask.status, 'failed');
  assert.deepEqual(lastTask.counts, { pending: 0, running: 0, succeeded: 2, skipped: 0, failed: 1, cancelled: 9 });
  const taskFailedAt = lastTask.seq;
  const inflightDone = events.filter((e) => e.type === 'step.status' && e.status === 'succeeded').map((e) => e.seq);
  assert.ok(inflightDone.every((s) => s < taskFailedAt), 'the task fails only after in-flight steps finished');
});

test('streamed output becomes log lines of the step on that host', async () => {
  const fleet = fakeFleet(() => ({ stdout: 'one\ntwo\npartial', stderr: 'warn\n' }));
  const { events } = await runTasks([{ name: 't', steps: [execStep('x')] }], makeHosts(1), fleet);
  const logs = events.filter((e) => e.type === 'log' && e.stepId === '0.0.0').map((e) => e.type === 'log' && `${e.host}/${e.stream}:${e.text}`);
  assert.deepEqual(logs, ['h0/system:$ x', 'h0/stdout:one', 'h0/stdout:two', 'h0/stderr:warn', 'h0/stdout:partial']);
});
