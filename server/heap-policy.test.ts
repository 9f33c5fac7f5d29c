import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap-policy';

test('the heap growth limit is set unless the command line already sets one', () => {
  assert.equal(limitHeapGrowth(HEAP_GROWING_PERCENT, ['--heap-growing-percent=60']), false);
  assert.equal(limitHeapGrowth(HEAP_GROWING_PERCENT, ['--import', 'tsx']), true);
});
