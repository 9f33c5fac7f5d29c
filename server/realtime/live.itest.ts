import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { labHosts, type LabHost } from '../../e2e/hosts/fixture';
import type { RunsChanged } from '../contracts/run-socket';
import { readEventsAfter } from '../services/runs/read-run';
import { readCells } from '../db/runs';
import { startHarness, type Harness } from '../runner/testing/harness';
import { labClusterInput } from '../runner/testing/lab-spec';
import { WatchClient } from '../runner/testing/watch-client';

let hosts: LabHost[];
let h: Harness;
let clusterId: number;
const clients: WatchClient[] = [];

before(async () => {
  hosts = await labHosts(3);
  h = await startHarness({ rooms: { slowClient: { maxPackets: 20, maxBytes: 256 * 1024 } } });
  clusterId = h.addCluster(labClusterInput(hosts));
});
after(async () => {
  for (const c of clients) c.close();
  await h?.close();
});

const watch = (runId: number, fromStart: boolean) => {
  const c = new WatchClient(h.url, h.cookie, runId, { fromStart });
  clients.push(c);
  return c;
};

test('two clients watch one run; one is away for seconds and comes back with its last seq: both end with exactly the stored events, in order, none twice', async () => {
  const changes: RunsChanged[] = [];
  const { runId } = await h.runner.start({ clusterId, pipeline: 'test:burst' });
  const a = watch(runId, true);
  const b = watch(runId, true);
  a.socket.on('runs:changed', (c) => changes.push(c));
  await b.waitFor((c) => c.events.length >= 100, '100 events on b');
  b.socket.disconnect();
  const leftAt = b.cursor.seq;
  await sleep(3000);
  assert.ok(a.cursor.seq > leftAt + 100, `the run went on while b was away (${leftAt} → ${a.cursor.seq})`);
  b.socket.connect();
  await Promise.all([a.waitFor((c) => c.ended, 'a: end'), b.waitFor((c) => c.ended, 'b: end')]);

  const stored = readEventsAfter(h.env.db, runId, 0, 1_000_000);
  assert.equal(stored[stored.length - 1]?.type === 'run.status' && stored[stored.length - 1]?.seq, stored.length);
  assert.deepEqual(a.events, stored);
  assert.deepEqual(b.events, stored);
  const replay = b.acks[1];
  assert.ok(replay?.mode === 'replay' && replay.events[0]?.seq === leftAt + 1, 'b caught up from the seq after the last one it had');
  assert.ok(stored.filter((e) => e.type === 'log' && e.text.startsWith('burst 12 line 30')).length === 3);
  await a.waitFor(() => changes.some((c) => c.run.id === runId && c.run.status === 'succeeded'), 'runs:changed with the final status');
});

test('a client joining mid-run gets a snapshot; snapshot cells plus later events equal the stored grid', async () => {
  const { runId } = await h.runner.start({ clusterId, pipeline: 'test:burst' });
  const first = watch(runId, true);
  await first.waitFor((c) => c.events.filter((e) => e.type === 'log').length >= 200, '200 log lines');
  const late = watch(runId, false);
  await Promise.all([first.waitFor((c) => c.ended, 'first: end'), late.waitFor((c) => c.ended, 'late: end')]);
  const snap = late.snapshot;
  assert.ok(snap && snap.seq > 0 && snap.logTail.length > 0 && snap.plan?.cellCount === 6);
  const grid = new Map(snap.cells.map((c) => [`${c.stepId}@${c.host}`, c.status as string]));
  for (const e of late.events) if (e.type === 'step.status') grid.set(`${e.stepId}@${e.host}`, e.status);
  const stored = new Map(readCells(h.env.db, runId).map((c) => [`${c.stepId}@${c.host}`, c.status as string]));
  assert.deepEqual(grid, stored);
  assert.deepEqual([...stored.values()], Array(6).fill('succeeded'));
  assert.equal(late.events[0]?.seq, snap.seq + 1);
  assert.deepEqual(late.events, readEventsAfter(h.env.db, runId, snap.seq, 1_000_000));
});

test('a client that stops reading is dropped, never waited for; the run and the other watchers go on', async () => {
  const { runId } = await h.runner.start({ clusterId, pipeline: 'test:burst' });
  const base = `${h.url}/socket.io/?EIO=4&transport=polling`;
  const headers = { cookie: h.cookie, origin: h.url };
  const open = await (await fetch(base, { headers })).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const post = (body: string) => fetch(`${base}&sid=${sid}`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body });
  assert.equal(await (await post('40')).text(), 'ok');
  const connected = await (await fetch(`${base}&sid=${sid}`, { headers })).text();
  assert.match(connected, /^40\{"sid":"[^"]+"\}/);
  const socketId = /^40\{"sid":"([^"]+)"\}/.exec(connected)![1]!;
  assert.equal(await (await post(`420${JSON.stringify(['run:watch', { runId, afterSeq: 0 }])}`)).text(), 'ok');
  // From here on the slow client never polls again.
  const healthy = watch(runId, true);
  await healthy.waitFor((c) => c.ended, 'healthy watcher: end');
  assert.equal(h.io.sockets.sockets.has(socketId), false, 'the slow socket was dropped');
  assert.deepEqual(healthy.events, readEventsAfter(h.env.db, runId, 0, 1_000_000));
  const gone = await fetch(`${base}&sid=${sid}`, { headers });
  assert.equal(gone.status, 400, 'its engine.io session is closed');
});
