import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateSpec } from '@/server/contracts/spec-validate';
import { mapSecrets } from '@/server/contracts/spec-secrets';
import type { ClusterSpecPublic } from '@/server/contracts/cluster-spec';
import { emptyForm, emptyHost, fromPublicSpec, parseHostLines, toSpecInput, withoutSecrets } from './form-model';

test('a filled form becomes a valid spec; errors point at host fields by index', () => {
  const f = emptyForm();
  f.name = 'prod';
  f.hosts = [emptyHost({ name: 'n1', address: '10.0.0.1', roles: ['etcd', 'control-plane', 'worker'], useDefaults: false, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n' })];
  const ok = validateSpec(toSpecInput(f));
  assert.equal(ok.ok, true, JSON.stringify(ok.errors));
  f.hosts[0]!.address = 'not an address!';
  const bad = validateSpec(toSpecInput(f));
  assert.equal(bad.ok, false);
  assert.ok(bad.errors.some((e) => e.path === 'hosts.0.address'), JSON.stringify(bad.errors));
});

test('pasting many hosts parses names, addresses, users and ports; drafts drop secrets', () => {
  const rows = parseHostLines('10.0.0.5\nmaster1 10.0.0.6 ubuntu 2222\n# comment\n', 1);
  assert.deepEqual(rows.map((r) => [r.name, r.address, r.user, r.port]), [['node2', '10.0.0.5', '', '22'], ['master1', '10.0.0.6', 'ubuntu', '2222']]);
  const f = emptyForm();
  f.hosts[0]!.password = 'hunter2';
  f.defaults.privateKey = 'default-key-text';
  f.privateRegistryPassword = 'reg';
  const draft = withoutSecrets(f);
  assert.equal(JSON.stringify(draft).includes('hunter2'), false);
  assert.equal(JSON.stringify(draft).includes('"reg"'), false);
  assert.equal(JSON.stringify(draft).includes('default-key-text'), false);
});

test('the internal load balancer goes into the spec and comes back when the cluster is edited', () => {
  const f = emptyForm();
  f.name = 'ha';
  f.internalLoadbalancer = 'haproxy';
  f.hosts = [emptyHost({ name: 'n1', address: '10.0.0.1', roles: ['etcd', 'control-plane', 'worker'], useDefaults: false, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n' })];
  const ok = validateSpec(toSpecInput(f));
  assert.ok(ok.ok, JSON.stringify(ok.errors));
  assert.equal(ok.spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer, 'haproxy');
  assert.equal(fromPublicSpec(mapSecrets(ok.spec, () => ({ set: true })) as unknown as ClusterSpecPublic).internalLoadbalancer, 'haproxy');
  f.internalLoadbalancer = '';
  assert.equal(toSpecInput(f).kubernetes?.controlPlaneEndpoint?.internalLoadbalancer, undefined);
});
