import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunCell } from '../../contracts/run-types';
import { logSections } from './log-sections';

const plan = { pipeline: 'p', hosts: ['a', 'b'], cellCount: 3, modules: [{ id: '0', index: 0, name: 'Preflight', tasks: [
  { id: '0.0', index: 0, name: 'CPU', hosts: ['a', 'b'], ignoreError: true, concurrency: 2, steps: [{ id: '0.0.0', index: 0, name: 'Check CPU cores' }] },
  { id: '0.1', index: 1, name: 'Report', hosts: ['a'], ignoreError: false, concurrency: 2, steps: [{ id: '0.1.0', index: 0, name: 'Preflight report' }] },
] }] };
const cell = (stepId: string, host: string, extra: Partial<RunCell>): RunCell => ({ stepId, host, status: 'succeeded', attempts: 1, startedAt: 1000, endedAt: 3500, exitCode: 0, errorKind: null, errorMessage: null, stderrTail: null, seq: 1, ...extra });
const row = { plan } as Parameters<typeof logSections>[0];

test('one header per step and host in plan order, with status, duration, exit code and the failure on one line', () => {
  const cells = [cell('0.0.0', 'a', {}), cell('0.1.0', 'a', { status: 'failed', exitCode: null, errorKind: 'command', errorMessage: '1 check failed:\nCPU cores: 2 (expected >= 64)' })];
  assert.deepEqual(logSections(row, cells, {}).map((s) => s.header), [
    '== run',
    '== Preflight / CPU / Check CPU cores · a · succeeded · 2.5s · exit 0',
    '== Preflight / CPU / Check CPU cores · b · pending',
    '== Preflight / Report / Preflight report · a · failed · 2.5s · exit - · command: 1 check failed: | CPU cores: 2 (expected >= 64)',
  ]);
  assert.deepEqual(logSections(row, cells, { host: 'b' }).map((s) => [s.stepId, s.host]), [[null, 'b'], ['0.0.0', 'b']]);
  assert.deepEqual(logSections(row, cells, { stepId: '0.1.0' }).map((s) => [s.stepId, s.host]), [['0.1.0', 'a']]);
});
