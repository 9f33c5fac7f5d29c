import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_STATUSES, NODE_TRANSITIONS, RUN_STATUSES, RUN_TRANSITIONS, STEP_STATUSES, STEP_TRANSITIONS } from '../contracts/status';
import { EngineInternalError } from './errors';
import { StatusBox, assertTransition } from './status';

const tables = [
  ['step', STEP_STATUSES, STEP_TRANSITIONS],
  ['node', NODE_STATUSES, NODE_TRANSITIONS],
  ['run', RUN_STATUSES, RUN_TRANSITIONS],
] as const;

for (const [label, statuses, table] of tables) {
  test(`${label}: every transition outside the table is refused, every one inside is allowed`, () => {
    let refused = 0;
    for (const from of statuses) {
      const allowed: readonly string[] = (table as Record<string, readonly string[]>)[from] ?? [];
      for (const to of statuses) {
        const check = () => assertTransition(table as Record<string, readonly string[]>, from, to, label);
        if (allowed.includes(to)) assert.doesNotThrow(check, `${from} → ${to}`);
        else {
          assert.throws(check, EngineInternalError, `${from} → ${to}`);
          refused += 1;
        }
      }
    }
    assert.ok(refused > statuses.length);
  });
}

test('a StatusBox keeps its value when a transition is refused, and terminal states are final', () => {
  const box = new StatusBox(STEP_TRANSITIONS, 'pending', 'step 0.0.0@h0');
  assert.throws(() => box.to('succeeded'), /illegal step 0\.0\.0@h0 transition pending → succeeded/);
  assert.equal(box.value, 'pending');
  box.to('running');
  box.to('failed');
  for (const to of STEP_STATUSES) assert.throws(() => box.to(to), EngineInternalError);
  assert.equal(box.value, 'failed');
});
