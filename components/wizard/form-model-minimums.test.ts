import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterSpecPublic } from '@/server/contracts/cluster-spec';
import { validateSpec } from '@/server/contracts/spec-validate';
import { emptyForm, emptyHost, fromPublicSpec, toSpecInput } from './form-model';

const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n';

test('preflight minimums reach the spec, survive an edit round trip, and a bad one is a field error', () => {
  const f = emptyForm();
  f.name = 'min';
  f.hosts = [emptyHost({ name: 'n1', address: '10.0.0.1', roles: ['etcd', 'control-plane', 'worker'], useDefaults: false, privateKey: key })];
  f.minimums = { ...f.minimums, minMemWorkerMb: '65536', minDiskGb: '0' };
  const ok = validateSpec(toSpecInput(f));
  assert.equal(ok.ok, true, JSON.stringify(ok.errors));
  const spec = toSpecInput(f);
  assert.equal(spec.preflight?.minMemWorkerMb, 65536);
  assert.equal(spec.preflight?.minDiskGb, 0);

  const stored = ClusterSpecPublic.parse({ ...spec, hosts: spec.hosts.map((h) => ({ ...h, auth: { type: 'key', privateKey: { set: true }, passphrase: { set: false } }, sudoPassword: { set: false } })) });
  assert.deepEqual(fromPublicSpec(stored).minimums, f.minimums);

  f.minimums = { ...f.minimums, minCpuWorker: '0' };
  const bad = validateSpec(toSpecInput(f));
  assert.ok(bad.errors.some((e) => e.path === 'preflight.minCpuWorker'), JSON.stringify(bad.errors));
});
