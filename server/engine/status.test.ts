import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_STATUSES, NODE_TRANSITIONS, RUN_STATUSES, RUN_TRANSITIONS, STEP_STATUSES, STEP_TRANSITIONS } from '../contracts/status';
import { EngineInternalError } from './errors';
import { StatusBox, assertTransition } from './status';

// Written out here from DESIGN §3, independently of the tables under test: the only transitions that may happen.
const ALLOWED = {
  step: ['pending→running', 'pending→skipped', 'pending→cancelled', 'running→succeeded', 'running→skipped', 'running→failed', 'running→cancelled'],
  node: ['pending→running', 'pending→skipped', 'pending→cancelled', 'running→succeeded', 'running→failed', 'running→failed-ignored', 'running→cancelled'],
  run: ['queued→running', 'queued→cancelled', 'queued→interrupted', 'running→succeeded', 'running→failed', 'running→cancelled', 'running→interrupted'],
};

const tables = [
  ['step', STEP_STATUSES, STEP_TRANSITIONS],
  ['node', NODE_STATUSES, NODE_TRANSITIONS],
  ['run', RUN_STATUSES, RUN_TRANSITIONS],
] as const;

for (const [label, statuses, table] of tables) {
  test(`${label}: exactly the transitions of the independent list are allowed, every other one is refused`, () => {
    let refused = 0;
    assert.ok(statuses.length > 0);
    for (const from of statuses) {
      for (const to of statuses) {
        const check = () => assertTransition(table as Record<string, readonly string[]>, from, to, label);
        if (ALLOWED[label].includes(`${from}→${to}`)) assert.doesNotThrow(check, `${from} → ${to}`);
        else {
          assert.throws(check, EngineInternalError, `${from} → ${to}`);
          refused += 1;
        }
      }
    }
    assert.equal(refused, statuses.length ** 2 - ALLOWED[label].length);
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
