import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '@/server/contracts/run-events';
import { emptySummary, type RunSnapshot } from '@/server/contracts/run-types';
import { cellKey } from './grid-model';
import { LiveRunState } from './live-run-state';

const plan = { pipeline: 'p', hosts: ['a', 'b'], cellCount: 4, modules: [{ id: '0', index: 0, name: 'M', tasks: [{ id: '0.0', index: 0, name: 'T', hosts: ['a', 'b'], ignoreError: false, concurrency: 2, steps: [{ id: '0.0.0', index: 0, name: 'S1' }, { id: '0.0.1', index: 1, name: 'S2' }] }] }] };
const snapshot: RunSnapshot = {
  run: { id: 1, clusterId: 1, clusterName: 'c', pipeline: 'p', status: 'running', statusReason: null, parentRunId: null, hosts: ['a', 'b'], options: {}, summary: emptySummary(), lastSeq: 2, createdBy: null, createdAt: 1, startedAt: 2, endedAt: null },
  plan,
  cells: [{ stepId: '0.0.0', host: 'a', status: 'succeeded', attempts: 1, startedAt: 2, endedAt: 3, exitCode: 0, errorKind: null, errorMessage: null, stderrTail: null, seq: 2 }],
  logTail: [],
  seq: 2,
};
const step = (seq: number, host: string, status: 'running' | 'failed', extra: Partial<RunEvent> = {}): RunEvent => ({
  runId: 1, seq, ts: seq, type: 'step.status', moduleId: '0', taskId: '0.0', stepId: '0.0.0', step: 'S1', host, status, attempt: 1, startedAt: seq, endedAt: status === 'failed' ? seq : null, exitCode: null,
  failure: status === 'failed' ? { kind: 'command', message: 'boom', exitCode: 1, stderrTail: 'e' } : null, ...extra,
} as RunEvent);

test('a snapshot then events: cells, counts, run status and log listeners follow', () => {
  const s = new LiveRunState();
  s.loadSnapshot(snapshot);
  assert.deepEqual({ ...s.counts() }, { pending: 3, running: 0, succeeded: 1, skipped: 0, failed: 0, cancelled: 0, total: 4 });
  const heard: string[] = [];
  s.onLog((l) => heard.push(l.text));
  const v = s.version;
  s.apply([
    step(3, 'b', 'running'),
    step(4, 'b', 'failed'),
    { runId: 1, seq: 5, ts: 5, type: 'log', host: 'b', taskId: '0.0', stepId: '0.0.0', stream: 'stderr', text: 'boom\n' },
    { runId: 1, seq: 6, ts: 9, type: 'run.status', pipeline: 'p', status: 'failed', failure: { kind: 'command', message: 'S1 failed on b', exitCode: 1, stderrTail: '' } },
  ]);
  assert.ok(s.version > v);
  assert.equal(s.seq, 6);
  assert.deepEqual(s.cells.get(cellKey('0.0.0', 'b')), { status: 'failed', startedAt: 4, endedAt: 4, exitCode: null, errorKind: 'command', errorMessage: 'boom', attempts: 1 });
  assert.equal(s.counts().failed, 1);
  assert.equal(s.counts().pending, 2);
  assert.deepEqual(heard, ['boom\n']);
  assert.equal(s.logs.length, 1);
  assert.deepEqual([s.run?.status, s.run?.endedAt, s.run?.statusReason], ['failed', 9, 'S1 failed on b']);
});

test('roll-ups: per host, a task and its module follow their steps one event at a time', async () => {
  const { rollupKey, rollUp } = await import('./rollups');
  const s = new LiveRunState();
  s.loadSnapshot(snapshot);
  const r = (id: string, h: string) => s.rollups.map.get(rollupKey(id, h));
  assert.deepEqual([r('0.0', 'a'), r('0', 'a'), r('0.0', 'b')], ['running', 'running', 'pending']);
  s.apply([step(3, 'b', 'running')]);
  assert.deepEqual([r('0.0', 'b'), r('0', 'b'), s.lastStarted], ['running', 'running', { stepId: '0.0.0', host: 'b' }]);
  s.apply([step(4, 'b', 'failed')]);
  assert.deepEqual([r('0.0', 'b'), r('0', 'b'), r('0.0', 'a')], ['failed', 'failed', 'running']);
  assert.equal(rollUp(['skipped', 'skipped']), 'skipped');
  assert.equal(rollUp(['skipped', 'succeeded']), 'succeeded');
  assert.equal(rollUp(['succeeded', 'cancelled']), 'cancelled');
  assert.equal(rollUp([]), 'pending');
});

test('finished modules fold once a later one started, unless opened, focused or selected', async () => {
  const { foldedModules } = await import('./grid-model');
  const mod = (id: string) => ({ id, index: Number(id), name: `M${id}`, tasks: [] });
  const plan = { pipeline: 'p', hosts: [], cellCount: 0, modules: [mod('0'), mod('1'), mod('2'), mod('3')] };
  const nodes = new Map([['0', 'succeeded'], ['1', 'skipped'], ['2', 'succeeded'], ['3', 'running']] as const);
  assert.deepEqual([...foldedModules(plan, nodes, new Map(), new Set())].sort(), ['0', '1', '2']);
  assert.deepEqual([...foldedModules(plan, nodes, new Map([['0', false], ['3', true]]), new Set(['2']))].sort(), ['1', '3']);
  assert.deepEqual([...foldedModules(plan, new Map([['0', 'succeeded']] as const), new Map(), new Set())], []);
  assert.deepEqual([...foldedModules(plan, new Map([['0', 'succeeded'], ['1', 'failed']] as const), new Map(), new Set())], ['0']);
});

test('a step event bumps the version of its row only (the grid re-renders just that row)', () => {
  const s = new LiveRunState();
  s.loadSnapshot(snapshot);
  const before = [s.rowVersions.get('0.0.0') ?? 0, s.rowVersions.get('0.0.1') ?? 0];
  s.apply([step(3, 'b', 'running'), step(4, 'a', 'running', { stepId: '0.0.1', step: 'S2' }), step(5, 'b', 'failed')]);
  assert.deepEqual([s.rowVersions.get('0.0.0'), s.rowVersions.get('0.0.1')], [before[0]! + 2, before[1]! + 1]);
  s.apply([{ runId: 1, seq: 6, ts: 6, type: 'log', host: 'b', taskId: '0.0', stepId: '0.0.1', stream: 'stdout', text: 'x\n' }]);
  assert.equal(s.rowVersions.get('0.0.1'), before[1]! + 1, 'log lines leave the rows alone');
});

test('a running cell waiting for its host shows the connection attempt until its next status; a reload mid-connect gets it from the snapshot', () => {
  const s = new LiveRunState();
  s.loadSnapshot(snapshot);
  const attempt = { attempt: 2, attempts: 3, givesUpAt: 99_000, previousError: 'no route to host' };
  const connecting = (seq: number, host: string, c: typeof attempt | null): RunEvent => ({ runId: 1, seq, ts: seq, type: 'step.connecting', moduleId: '0', taskId: '0.0', stepId: '0.0.0', host, connecting: c });
  s.apply([step(3, 'b', 'running')]);
  const row = s.rowVersions.get('0.0.0') ?? 0;
  s.apply([connecting(4, 'b', attempt)]);
  assert.deepEqual(s.cells.get(cellKey('0.0.0', 'b'))?.connecting, attempt);
  assert.equal(s.rowVersions.get('0.0.0'), row + 1, 'its row re-renders');
  s.apply([connecting(5, 'b', null)]);
  assert.equal(s.cells.get(cellKey('0.0.0', 'b'))?.connecting, null);
  s.apply([connecting(6, 'b', attempt), step(7, 'b', 'failed')]);
  assert.equal(s.cells.get(cellKey('0.0.0', 'b'))?.connecting, undefined);
  // an attempt for a cell that is not running (late, after its end) changes nothing
  s.apply([connecting(8, 'b', attempt)]);
  assert.equal(s.cells.get(cellKey('0.0.0', 'b'))?.status, 'failed');
  assert.equal(s.cells.get(cellKey('0.0.0', 'b'))?.connecting, undefined);

  const reloaded = new LiveRunState();
  const running = { stepId: '0.0.0', host: 'b', status: 'running' as const, attempts: 1, startedAt: 3, endedAt: null, exitCode: null, errorKind: null, errorMessage: null, stderrTail: null, seq: 3 };
  reloaded.loadSnapshot({ ...snapshot, cells: [...snapshot.cells, running], connecting: [{ stepId: '0.0.0', host: 'b', connecting: attempt }] });
  assert.deepEqual(reloaded.cells.get(cellKey('0.0.0', 'b'))?.connecting, attempt);
});

test('counts are kept one event at a time and always equal a count of the cells, through retries and a new snapshot', () => {
  const s = new LiveRunState();
  s.loadSnapshot(snapshot);
  const recount = () => {
    const c = { pending: 0, running: 0, succeeded: 0, skipped: 0, failed: 0, cancelled: 0 };
    for (const cell of s.cells.values()) c[cell.status]++;
    return { ...c, pending: 4 - c.running - c.succeeded - c.skipped - c.failed - c.cancelled, total: 4 };
  };
  const statuses = ['running', 'failed', 'running', 'succeeded', 'skipped', 'cancelled'] as const;
  let seq = 3;
  for (const host of ['a', 'b']) {
    for (const stepId of ['0.0.0', '0.0.1']) {
      for (const status of statuses) {
        s.apply([step(seq++, host, 'running', { stepId, status } as Partial<RunEvent>)]);
        assert.deepEqual({ ...s.counts() }, recount(), `${stepId}@${host} ${status}`);
      }
    }
  }
  assert.equal(s.counts().cancelled, 4);
  s.loadSnapshot(snapshot);
  assert.deepEqual({ ...s.counts() }, { pending: 3, running: 0, succeeded: 1, skipped: 0, failed: 0, cancelled: 0, total: 4 });
});
