import assert from 'node:assert/strict';
import { test } from 'node:test';
import { specDiff } from './spec-diff';

test('spec diff: changed leaves, hosts keyed by name, added and removed entries', () => {
  const a = { name: 'c', hosts: [{ name: 'n1', port: 22, auth: { privateKey: { set: true } } }, { name: 'n2', port: 22 }], preflight: { minCpu: 2 } };
  const b = { name: 'c', hosts: [{ name: 'n2', port: 2222 }, { name: 'n3', port: 22 }], preflight: { minCpu: 64 } };
  assert.deepEqual(specDiff(a, b), [
    { path: 'hosts[n1].auth.privateKey.set', a: 'true', b: null },
    { path: 'hosts[n1].name', a: '"n1"', b: null },
    { path: 'hosts[n1].port', a: '22', b: null },
    { path: 'hosts[n2].port', a: '22', b: '2222' },
    { path: 'hosts[n3].name', a: null, b: '"n3"' },
    { path: 'hosts[n3].port', a: null, b: '22' },
    { path: 'preflight.minCpu', a: '2', b: '64' },
  ]);
  assert.deepEqual(specDiff(a, structuredClone(a)), []);
});
