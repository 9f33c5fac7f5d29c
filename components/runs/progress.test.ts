import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellKey, type GridCell } from './grid-model';
import { etaMs, progressOf } from './progress';

test('a cancelled run does not read 100%; the parts add up to the total', () => {
  const p = progressOf({ total: 91, succeeded: 4, skipped: 0, failed: 1, cancelled: 86, pending: 0, running: 0 });
  assert.deepEqual(p, { done: 4, ran: 5, pct: 5, left: 0 });
  assert.equal(p.done + 1 + 86 + 0, 91);
  assert.equal(progressOf({ total: 3, succeeded: 2, skipped: 1, failed: 0, cancelled: 0, pending: 0, running: 0 }).pct, 100);
  assert.equal(progressOf({ total: 300, succeeded: 299, skipped: 0, failed: 0, cancelled: 0, pending: 0, running: 1 }).pct, 99);
});

test('ETA: medians of unfinished steps, less what a running step already took; null without history', () => {
  const plan = { pipeline: 'p', hosts: ['a', 'b'], cellCount: 6, modules: [{ id: '0', index: 0, name: 'M', tasks: [{ id: '0.0', index: 0, name: 'T', hosts: ['a', 'b'], ignoreError: false, concurrency: 2,
    steps: [{ id: '0.0.0', index: 0, name: 'S1' }, { id: '0.0.1', index: 1, name: 'S2' }, { id: '0.0.2', index: 2, name: 'S3' }] }] }] };
  const c = (status: GridCell['status'], startedAt: number | null): GridCell => ({ status, startedAt, endedAt: null, exitCode: null, errorKind: null, errorMessage: null });
  const cells = new Map([
    [cellKey('0.0.0', 'a'), c('succeeded', 0)], [cellKey('0.0.0', 'b'), c('succeeded', 0)],
    [cellKey('0.0.1', 'a'), c('running', 10_000)], [cellKey('0.0.1', 'b'), c('succeeded', 10_000)],
  ]);
  assert.equal(etaMs(plan, cells, { '0.0.0': 5000, '0.0.1': 8000, '0.0.2': 20_000 }, 13_000), 5000 + 20_000);
  assert.equal(etaMs(plan, cells, {}, 13_000), null);
});
