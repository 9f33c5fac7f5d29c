import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONCURRENCY, planPipeline } from './plan';
import { makeHosts } from './testing/fake-connector';
import type { Pipeline, Step } from './types';

const noop: Step = { name: 'noop', check: async () => false, run: async () => {} };

test('planPipeline gives every module, task and step a path id and lists each task’s hosts', () => {
  const pipeline: Pipeline = {
    name: 'p',
    modules: [
      { name: 'a', tasks: [{ name: 't0', steps: [noop, { ...noop, name: 'second' }] }] },
      { name: 'b', tasks: [{ name: 't1', runOnRoles: ['etcd'], steps: [noop], ignoreError: true, concurrency: 2 }] },
    ],
  };
  const plan = planPipeline(pipeline, makeHosts(3, (i) => (i === 1 ? ['etcd'] : ['worker'])));
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  assert.deepEqual(plan, {
    pipeline: 'p',
    hosts: ['h0', 'h1', 'h2'],
    cellCount: 7,
    modules: [
      {
        id: '0',
        index: 0,
        name: 'a',
        tasks: [
          {
            id: '0.0',
            index: 0,
            name: 't0',
            hosts: ['h0', 'h1', 'h2'],
            ignoreError: false,
            concurrency: 10,
            steps: [
              { id: '0.0.0', index: 0, name: 'noop' },
              { id: '0.0.1', index: 1, name: 'second' },
            ],
          },
        ],
      },
      {
        id: '1',
        index: 1,
        name: 'b',
        tasks: [{ id: '1.0', index: 0, name: 't1', hosts: ['h1'], ignoreError: true, concurrency: 2, steps: [{ id: '1.0.0', index: 0, name: 'noop' }] }],
      },
    ],
  });
});

test('planPipeline refuses duplicate host names and a negative or fractional concurrency; 0 means the default 10', () => {
  const hosts = makeHosts(2);
  const withConcurrency = (concurrency: number) => planPipeline({ name: 'p', modules: [{ name: 'm', tasks: [{ name: 't', steps: [noop], concurrency }] }] }, hosts);
  assert.throws(() => planPipeline({ name: 'p', modules: [] }, [...hosts, hosts[0]!]), /duplicate host name h0/);
  assert.throws(() => withConcurrency(-1), RangeError);
  assert.throws(() => withConcurrency(1.5), RangeError);
  assert.equal(withConcurrency(0).modules[0]?.tasks[0]?.concurrency, DEFAULT_CONCURRENCY);
  assert.equal(DEFAULT_CONCURRENCY, 10);
});
