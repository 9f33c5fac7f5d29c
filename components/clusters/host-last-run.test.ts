import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunInfo } from '@/server/contracts/run-types';
import { hostLastRuns } from './host-last-run';

const counts = (over: Partial<Record<'pending' | 'running' | 'succeeded' | 'skipped' | 'failed' | 'cancelled', number>>) => ({ pending: 0, running: 0, succeeded: 0, skipped: 0, failed: 0, cancelled: 0, ...over });
const run = (id: number, pipeline: string, status: RunInfo['status'], hosts: Record<string, ReturnType<typeof counts>>): RunInfo => ({
  id, clusterId: 1, clusterName: 'c', pipeline, status, statusReason: null, parentRunId: null, hosts: Object.keys(hosts), options: {},
  summary: { total: counts({}), hosts, nodes: {} }, lastSeq: 0, createdBy: null, createdAt: 0, startedAt: null, endedAt: null,
});

test('the newest run that touched a host decides; status reads do not count', () => {
  const runs = [
    run(4, 'status', 'succeeded', { a: counts({ succeeded: 1 }), b: counts({ succeeded: 1 }) }),
    run(3, 'preflightOnly', 'failed', { a: counts({ succeeded: 5, failed: 1 }) }),
    run(2, 'createCluster', 'cancelled', { a: counts({ succeeded: 1 }), b: counts({ cancelled: 2 }) }),
    run(1, 'createCluster', 'succeeded', { c: counts({ succeeded: 3 }) }),
  ];
  const m = hostLastRuns(runs);
  assert.deepEqual(Object.fromEntries(m), {
    a: { runId: 3, pipeline: 'preflightOnly', status: 'failed' },
    b: { runId: 2, pipeline: 'createCluster', status: 'cancelled' },
    c: { runId: 1, pipeline: 'createCluster', status: 'succeeded' },
  });
});
