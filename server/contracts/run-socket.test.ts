import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from './run-events';
import { RunSeqCursor, RunWatchRequest } from './run-socket';

const log = (seq: number): RunEvent => ({ type: 'log', runId: 1, seq, ts: 0, host: 'h', taskId: null, stepId: null, stream: 'stdout', text: `l${seq}` });
const seqs = (events: RunEvent[]) => events.map((e) => e.seq);

test('cursor: live events before the ack are held, then each seq is applied once across snapshot, replay and live batches', () => {
  const c = new RunSeqCursor();
  assert.equal(c.afterSeq, undefined);
  assert.deepEqual(c.accept([log(4), log(5)]), []);
  assert.deepEqual(seqs(c.fromSnapshot(4)), [5]);
  assert.deepEqual(seqs(c.accept([log(5), log(6)])), [6]);
  c.unsync();
  assert.equal(c.afterSeq, 6);
  assert.deepEqual(c.accept([log(9)]), []);
  assert.deepEqual(seqs(c.fromReplay([log(7), log(8), log(9)])), [7, 8, 9]);
  assert.deepEqual(seqs(c.accept([log(9), log(10)])), [10]);
  assert.equal(c.seq, 10);
});

test('run:watch requests are validated', () => {
  assert.equal(RunWatchRequest.safeParse({ runId: 3, afterSeq: 0 }).success, true);
  for (const bad of [{}, { runId: 0 }, { runId: '3' }, { runId: 3, afterSeq: -1 }, { runId: 3, extra: 1 }, null]) assert.equal(RunWatchRequest.safeParse(bad).success, false);
});
