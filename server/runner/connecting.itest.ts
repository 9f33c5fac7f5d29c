import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labHosts, type LabHost } from '../../e2e/hosts/fixture';
import type { RunEvent, StepConnectingEvent } from '../contracts/run-events';
import { connectBudgetMs } from '../connectors/ssh-connect';
import { readCells } from '../db/runs';
import { readRunSnapshot } from '../services/runs/read-run';
import { QUICK_CONNECT } from './connect';
import { startHarness, type Harness } from './testing/harness';
import { labClusterInput } from './testing/lab-spec';

// in the lab subnet (routed to the lab bridge) but no lab host has it: ARP gets no answer, the kernel says EHOSTUNREACH
const GHOST = '198.51.100.251';

let host: LabHost;
let h: Harness;
before(async () => {
  [host] = (await labHosts(1)) as [LabHost];
  h = await startHarness();
});
after(async () => h?.close());

test('a host that does not answer: its cell says connecting (attempt n of 3, gives up at …) while it waits, then fails unreachable in words, in time', async () => {
  const input = labClusterInput([host]);
  const ghost = { ...input.hosts[0]!, name: 'ghost', address: GHOST, roles: ['worker'] };
  const clusterId = h.addCluster({ ...input, hosts: [...input.hosts, ghost] } as typeof input);
  const events: RunEvent[] = [];
  let snapshotWhileConnecting: ReturnType<typeof readRunSnapshot>['connecting'];
  let runId = 0;
  const off = h.runner.bus.subscribe({
    events: (id, batch) => {
      if (id !== runId) return;
      events.push(...batch);
      const attempt2 = batch.find((e) => e.type === 'step.connecting' && e.host === 'ghost' && e.connecting?.attempt === 2);
      if (attempt2 && !snapshotWhileConnecting) snapshotWhileConnecting = readRunSnapshot(h.env.db, id).connecting;
    },
  });
  ({ runId } = await h.runner.start({ clusterId, pipeline: 'test:hold' }));
  await h.runner.whenEnded(runId, AbortSignal.timeout(90_000));
  off();

  const tries = events.filter((e): e is StepConnectingEvent => e.type === 'step.connecting' && e.host === 'ghost');
  assert.deepEqual(tries.map((e) => [e.connecting?.attempt, e.connecting?.attempts]), [[1, 3], [2, 3], [3, 3]]);
  const budget = connectBudgetMs({ host: GHOST, port: 22, username: 'root' });
  assert.ok(Math.abs(tries[0]!.connecting!.givesUpAt - (tries[0]!.ts + budget)) < 250, `first attempt gives up ${tries[0]!.connecting!.givesUpAt - tries[0]!.ts} ms after it started, budget ${budget}`);
  assert.match(tries[1]!.connecting!.previousError ?? '', /no route to host/);
  // while it waited, a page loading the run saw the cell connecting
  assert.deepEqual(snapshotWhileConnecting?.map((c) => [c.host, c.connecting.attempt]), [['ghost', 2]]);

  const cells = readCells(h.env.db, runId);
  const lost = cells.find((c) => c.host === 'ghost')!;
  assert.equal(lost.status, 'failed');
  assert.equal(lost.errorKind, 'unreachable');
  assert.equal(lost.errorMessage, `cannot connect to ${GHOST}:22: no route to host (is the address right and the host up?)`);
  assert.ok(lost.endedAt! <= tries[0]!.connecting!.givesUpAt, `gave up at ${lost.endedAt}, promised ${tries[0]!.connecting!.givesUpAt}`);
  // the host that answers connected once, quickly, and its step ran
  const good = events.filter((e): e is StepConnectingEvent => e.type === 'step.connecting' && e.host === host.name);
  assert.deepEqual(good.map((e) => e.connecting?.attempt ?? null), [1, null]);
  assert.equal(cells.find((c) => c.host === host.name)?.status, 'succeeded');
  assert.deepEqual(readRunSnapshot(h.env.db, runId).connecting, []);
});

test('a status read gives a silent host one 10 s attempt, not three of 20 s, and says it is unreachable', async () => {
  const input = labClusterInput([host]);
  const ghost = { ...input.hosts[0]!, name: 'ghost', address: GHOST, roles: ['worker'] };
  const clusterId = h.addCluster({ ...input, hosts: [...input.hosts, ghost] } as typeof input);
  const tries: StepConnectingEvent[] = [];
  let runId = 0;
  const off = h.runner.bus.subscribe({
    events: (id, batch) => {
      if (id === runId) tries.push(...batch.filter((e): e is StepConnectingEvent => e.type === 'step.connecting' && e.host === 'ghost' && !!e.connecting));
    },
  });
  ({ runId } = await h.runner.start({ clusterId, pipeline: 'status' }));
  await h.runner.whenEnded(runId, AbortSignal.timeout(60_000));
  off();

  assert.deepEqual(tries.map((e) => [e.connecting?.attempt, e.connecting?.attempts]), [[1, 1]]);
  const budget = connectBudgetMs({ host: GHOST, port: 22, username: 'root', ...QUICK_CONNECT });
  assert.ok(budget < connectBudgetMs({ host: GHOST, port: 22, username: 'root' }) / 2, `quick budget ${budget} ms`);
  assert.ok(Math.abs(tries[0]!.connecting!.givesUpAt - (tries[0]!.ts + budget)) < 250, `gives up ${tries[0]!.connecting!.givesUpAt - tries[0]!.ts} ms after it started, budget ${budget}`);
  const cells = readCells(h.env.db, runId).filter((c) => c.host === 'ghost');
  assert.ok(cells.some((c) => c.status === 'failed' && c.errorKind === 'unreachable'), JSON.stringify(cells));
  // the host that answers was read
  assert.ok(readCells(h.env.db, runId).some((c) => c.host === host.name && c.status === 'succeeded'));
});
