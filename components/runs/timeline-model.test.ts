import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellKey, type GridCell } from './grid-model';
import { buildTimeline, tickStep } from './timeline-model';

test('a lane per host, bars in start order, the slowest marked, running bars end now', () => {
  const steps = Array.from({ length: 20 }, (_, i) => ({ id: `0.0.${i}`, index: i, name: `S${i}` }));
  const plan = { pipeline: 'p', hosts: ['a', 'b', 'c'], cellCount: 40, modules: [{ id: '0', index: 0, name: 'M', tasks: [{ id: '0.0', index: 0, name: 'T', hosts: ['a', 'b'], ignoreError: false, concurrency: 2, steps }] }] };
  const cells = new Map<string, GridCell>();
  const c = (status: GridCell['status'], startedAt: number, endedAt: number | null): GridCell => ({ status, startedAt, endedAt, exitCode: null, errorKind: null, errorMessage: null });
  steps.forEach((s, i) => cells.set(cellKey(s.id, 'a'), c('succeeded', 1000 + i * 100, 1000 + i * 100 + 50)));
  cells.set(cellKey('0.0.1', 'b'), c('failed', 1100, 5000));
  cells.set(cellKey('0.0.0', 'b'), c('running', 900, null));
  const t = buildTimeline(plan, cells, 6000);
  assert.deepEqual(t.lanes.map((l) => [l.host, l.bars.length]), [['a', 20], ['b', 2], ['c', 0]]);
  assert.deepEqual(t.lanes[1]!.bars.map((b) => [b.stepId, b.end, b.slow]), [['0.0.0', 6000, true], ['0.0.1', 5000, true]]);
  assert.equal(t.lanes[0]!.bars.some((b) => b.slow), false);
  assert.deepEqual([t.t0, t.t1], [900, 6000]);
  assert.deepEqual(buildTimeline(plan, new Map(), 0).lanes, []);
  assert.equal(tickStep(60_000, 6), 10_000);
  assert.equal(tickStep(7_000, 6), 2_000);
});
