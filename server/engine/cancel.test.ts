import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalConnector } from '../connectors/local';
import type { EngineEvent } from './events';
import { runPipeline } from './pipeline';
import { fakeFleet, finalCells, makeHosts, testRuntime } from './testing/fake-connector';
import type { Pipeline, Step } from './types';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 250 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

const step = (name: string, command: string, extra: Partial<Step> = {}): Step => ({
  name,
  check: async () => false,
  run: async (ctx) => void (await ctx.run(command)),
  ...extra,
});

test('user cancel kills a real sleep started through LocalConnector and cancels everything not finished', async () => {
  const pipeline: Pipeline = {
    name: 'p',
    modules: [
      { name: 'm1', tasks: [{ name: 'sleepy', concurrency: 1, steps: [step('sleep', 'echo $$; exec sleep 600'), step('after', 'true')] }] },
      { name: 'm2', tasks: [{ name: 'later', steps: [step('later', 'true')] }] },
    ],
  };
  const ac = new AbortController();
  const events: EngineEvent[] = [];
  let pid = 0;
  const outcome = await runPipeline({
    runId: 'cancel-1',
    pipeline,
    runtime: testRuntime(makeHosts(2)),
    connectorFor: () => new LocalConnector(),
    signal: ac.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'log' && e.stream === 'stdout' && pid === 0) {
        pid = Number(e.text);
        assert.ok(isAlive(pid));
        ac.abort();
      }
    },
  });
  assert.ok(pid > 0);
  assert.ok(await gone(pid), `sleep (pid ${pid}) survived the cancel`);
  assert.equal(outcome.status, 'cancelled');
  const cells = finalCells(events);
  assert.equal(cells.size, outcome.plan.cellCount);
  const h0 = cells.get('0.0.0@h0');
  assert.equal(h0?.status, 'cancelled');
  assert.equal(h0?.failure?.kind, 'cancelled');
  assert.ok(h0?.startedAt !== null && h0?.endedAt !== null);
  for (const [key, cell] of cells) assert.equal(cell.status, 'cancelled', key);
  const statuses = events.filter((e) => e.type !== 'log' && e.type !== 'step.status').map((e) => `${e.type}:${'status' in e ? e.status : ''}`);
  assert.deepEqual(statuses, [
    'run.status:running',
    'module.status:running',
    'task.status:running',
    'task.status:cancelled',
    'module.status:cancelled',
    'task.status:cancelled',
    'module.status:cancelled',
    'run.status:cancelled',
  ]);
});

test('cancel during a retry delay ends the step cancelled without another attempt', async () => {
  const ac = new AbortController();
  const fleet = fakeFleet(() => ({ exitCode: 1 }));
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'r',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks: [{ name: 't', steps: [step('x', 'x', { retries: 5, retryDelayMs: 60_000 })] }] }] },
    runtime: testRuntime(makeHosts(1)),
    connectorFor: fleet.connectorFor,
    signal: ac.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'log' && e.text.startsWith('attempt 1/6 failed')) ac.abort();
    },
  });
  assert.equal(outcome.status, 'cancelled');
  assert.equal(fleet.stats.calls.length, 1);
  assert.equal(finalCells(events).get('0.0.0@h0')?.status, 'cancelled');
});

test('a run whose signal is already aborted touches no host and cancels every cell', async () => {
  const fleet = fakeFleet();
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'r',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks: [{ name: 't', steps: [step('x', 'x')] }] }] },
    runtime: testRuntime(makeHosts(3)),
    connectorFor: fleet.connectorFor,
    signal: AbortSignal.abort(),
    onEvent: (e) => void events.push(e),
  });
  assert.equal(outcome.status, 'cancelled');
  assert.equal(fleet.stats.calls.length, 0);
  assert.deepEqual([...finalCells(events).values()].map((c) => c.status), ['cancelled', 'cancelled', 'cancelled']);
});
