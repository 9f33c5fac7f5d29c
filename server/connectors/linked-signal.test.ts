import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getEventListeners } from 'node:events';
import { linkSignals } from './linked-signal';

test('aborts when either input aborts, with its reason', () => {
  const a = new AbortController();
  const b = new AbortController();
  const first = linkSignals(a.signal, b.signal);
  a.abort('user');
  assert.equal(first.signal.aborted, true);
  assert.equal(first.signal.reason, 'user');
  const c = new AbortController();
  const second = linkSignals(c.signal, b.signal);
  b.abort('closing');
  assert.equal(second.signal.reason, 'closing');
  assert.equal(linkSignals(new AbortController().signal, b.signal).signal.aborted, true);
});

test('dispose detaches from both inputs, so a long-lived signal collects no listeners', () => {
  const life = new AbortController();
  for (let i = 0; i < 1000; i++) linkSignals(new AbortController().signal, life.signal).dispose();
  assert.equal(getEventListeners(life.signal, 'abort').length, 0);
  const kept = linkSignals(new AbortController().signal, life.signal);
  assert.equal(getEventListeners(life.signal, 'abort').length, 1);
  kept.dispose();
  assert.equal(linkSignals(undefined, life.signal).signal, life.signal);
});
