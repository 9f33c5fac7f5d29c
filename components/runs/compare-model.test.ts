import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompareSide } from '@/server/contracts/run-api';
import { emptySummary, type RunCell } from '@/server/contracts/run-types';
import { compareRuns } from './compare-model';

const side = (id: number, hosts: string[], tasks: { name: string; steps: string[] }[], cells: [string, string, RunCell['status'], number][]): CompareSide => ({
  run: { id, clusterId: 1, clusterName: 'c', pipeline: 'p', status: 'failed', statusReason: null, parentRunId: null, hosts, options: {}, summary: emptySummary(), lastSeq: 0, createdBy: null, createdAt: 0, startedAt: 0, endedAt: 0 },
  plan: { pipeline: 'p', hosts, cellCount: 0, modules: [{ id: '0', index: 0, name: 'M', tasks: tasks.map((t, ti) => ({ id: `0.${ti}`, index: ti, name: t.name, hosts, ignoreError: false, concurrency: 1, steps: t.steps.map((s, si) => ({ id: `0.${ti}.${si}`, index: si, name: s })) })) }] },
  cells: cells.map(([stepId, host, status, ms]) => ({ stepId, host, status, attempts: 1, startedAt: 0, endedAt: ms, exitCode: null, errorKind: null, errorMessage: null, stderrTail: null, seq: 0 })),
});

test('steps matched by name: status changes, slower/faster beyond the threshold, steps and hosts in one run only', () => {
  const a = side(1, ['n1', 'n2'], [{ name: 'T', steps: ['s1', 's2'] }, { name: 'Old', steps: ['x'] }], [
    ['0.0.0', 'n1', 'failed', 1000], ['0.0.0', 'n2', 'succeeded', 1000], ['0.0.1', 'n1', 'succeeded', 10_000], ['0.0.1', 'n2', 'succeeded', 10_000], ['0.1.0', 'n1', 'succeeded', 5],
  ]);
  // b gained a task before T, so T's ids moved; n2 left, n3 joined
  const b = side(2, ['n1', 'n3'], [{ name: 'New', steps: ['y'] }, { name: 'T', steps: ['s1', 's2'] }], [
    ['0.1.0', 'n1', 'succeeded', 1000], ['0.1.0', 'n3', 'succeeded', 1000], ['0.1.1', 'n1', 'succeeded', 30_000], ['0.1.1', 'n3', 'succeeded', 10_500],
  ]);
  const c = compareRuns(a, b, 2000);
  assert.deepEqual(c.hosts, ['n1', 'n2', 'n3']);
  assert.deepEqual(c.hostsOnlyIn, { a: ['n2'], b: ['n3'] });
  const row = (p: string) => c.rows.find((r) => r.path === `M / ${p}`)!;
  assert.deepEqual(row('T / s1').cells.map((x) => [x.host, x.change]), [['n1', 'status'], ['n2', 'only-a'], ['n3', 'only-b']]);
  assert.deepEqual(row('T / s2').cells.map((x) => [x.host, x.change]), [['n1', 'slower'], ['n2', 'only-a'], ['n3', 'only-b']]);
  assert.equal(row('Old / x').onlyIn, 'a');
  assert.equal(row('New / y').onlyIn, 'b');
  assert.equal(c.counts.status, 1);
  assert.equal(c.counts.slower, 1);
  assert.equal(compareRuns(b, a, 2000).counts.faster, 1);
});
