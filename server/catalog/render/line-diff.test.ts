import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unifiedDiff } from './line-diff';

const labels = { from: 'a', to: 'b' };
const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('x\ny\n', 'x\ny\n', labels), '');
});

test('changes far apart are two hunks with 3 lines of context and line numbers of both sides', () => {
  const before = lines(20);
  const after = [...before];
  after[2] = 'changed';
  after.splice(15, 1);
  assert.equal(unifiedDiff(`${before.join('\n')}\n`, `${after.join('\n')}\n`, labels), [
    '--- a', '+++ b',
    '@@ -1,6 +1,6 @@', ' l1', ' l2', '-l3', '+changed', ' l4', ' l5', ' l6',
    '@@ -13,7 +13,6 @@', ' l13', ' l14', ' l15', '-l16', ' l17', ' l18', ' l19', '',
  ].join('\n'));
});

test('a file that does not exist yet is all added', () => {
  assert.equal(unifiedDiff('', 'a\nb\n', labels), '--- a\n+++ b\n@@ -1,0 +1,2 @@\n+a\n+b\n');
});
