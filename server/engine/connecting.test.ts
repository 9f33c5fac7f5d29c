import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../connectors/connector';
import type { EngineEvent, StepConnectingEvent } from './events';
import { runPipeline } from './pipeline';
import { fakeFleet, finalCells, makeHosts, testRuntime } from './testing/fake-connector';
import type { Step } from './types';

const exec = (name: string): Step => ({ name, check: async () => false, run: async (ctx) => void (await ctx.run(name)) });

async function run(connect: Parameters<typeof fakeFleet>[1]) {
  const fleet = fakeFleet(() => ({}), connect);
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'c1',
    pipeline: { name: 'p', modules: [{ name: 'm', tasks: [{ name: 't', steps: [exec('first'), exec('second')] }] }] },
    runtime: testRuntime(makeHosts(2)),
    connectorFor: fleet.connectorFor,
    onEvent: (e) => void events.push(e),
  });
  return { outcome, events, cells: finalCells(events) };
}

const connecting = (events: EngineEvent[], host: string) => events.filter((e): e is StepConnectingEvent => e.type === 'step.connecting' && e.host === host);

test('a step waiting for an unreachable host says which attempt it is on and when it gives up, then fails with the connector’s words', async () => {
  const unreachable = new ConnectorError('unreachable', 'cannot connect to 198.51.100.11:22: no route to host (is the address right and the host up?)');
  const started = Date.now();
  const { outcome, events, cells } = await run((host) => (host === 'h1' ? { attempts: 3, attemptMs: 40, fail: unreachable } : { attempts: 1, attemptMs: 5 }));

  const h1 = connecting(events, 'h1');
  assert.deepEqual(h1.map((e) => [e.stepId, e.connecting?.attempt, e.connecting?.attempts]), [['0.0.0', 1, 3], ['0.0.0', 2, 3], ['0.0.0', 3, 3]]);
  for (const e of h1) assert.ok(e.connecting!.givesUpAt >= started + 120 - 5 && e.connecting!.givesUpAt <= Date.now() + 5, `gives up at ${e.connecting!.givesUpAt}`);
  assert.equal(h1[1]!.connecting!.previousError, 'no answer from h1');
  // the events sit between the step's running and failed status, on the step that opened the connection
  const order = events.filter((e) => 'host' in e && e.host === 'h1' && e.type !== 'log').map((e) => (e.type === 'step.status' ? `${e.stepId} ${e.status}` : `${e.type}`));
  assert.deepEqual(order.slice(0, 5), ['0.0.0 running', 'step.connecting', 'step.connecting', 'step.connecting', '0.0.0 failed']);
  const failed = cells.get('0.0.0@h1')!;
  assert.equal(failed.failure?.kind, 'unreachable');
  assert.match(failed.failure!.message, /no route to host \(is the address right and the host up\?\)/);
  // each failed attempt is in the step's log
  const logs = events.filter((e) => e.type === 'log' && e.host === 'h1' && e.stream === 'system').map((e) => e.type === 'log' && e.text);
  assert.deepEqual(logs, ['$ first', 'connecting: attempt 1 of 3 failed (no answer from h1); trying again', 'connecting: attempt 2 of 3 failed (no answer from h1); trying again']);
  assert.equal(outcome.status, 'failed');
});

test('a host that answers: one attempt, then connecting ends (null) before the step ends; later steps hear nothing', async () => {
  const { outcome, events } = await run(() => ({ attempts: 1, attemptMs: 5 }));
  assert.equal(outcome.status, 'succeeded');
  for (const host of ['h0', 'h1']) {
    const seen = connecting(events, host).map((e) => [e.stepId, e.connecting === null ? null : e.connecting.attempt]);
    assert.deepEqual(seen, [['0.0.0', 1], ['0.0.0', null]]);
    const nullSeq = connecting(events, host)[1]!.seq;
    const done = events.find((e) => e.type === 'step.status' && e.host === host && e.status === 'succeeded')!;
    assert.ok(nullSeq < done.seq, 'connected before the first step ended');
  }
});

test('connectors that do not report attempts (local, fakes without a script) emit no connecting events', async () => {
  const { outcome, events } = await run(() => undefined);
  assert.equal(outcome.status, 'succeeded');
  assert.equal(events.filter((e) => e.type === 'step.connecting').length, 0);
});
