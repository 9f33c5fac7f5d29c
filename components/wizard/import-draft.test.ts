import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formFromDraft } from './import-draft';

// the importer's draft of server/spec/fixtures/kubekey-errors.yaml (ten errors): sections missing, wrong values kept
const ERRORS_DRAFT = {
  name: 'Bad_Name',
  hosts: [
    { roles: [], name: 'node1', address: '10.0.0.1', port: 70000, auth: { type: 'password', password: 'x' } },
    { roles: ['etcd'], name: 'node1', address: '10.233.0.9', auth: { type: 'password', password: 'x' } },
  ],
  kubernetes: { version: 'v1.19.0', containerRuntime: 'docker', controlPlaneEndpoint: {} },
  etcd: {},
  network: { plugin: 'cilium', podCidr: '10.233.64.0/18', serviceCidr: '10.233.64.0/20' },
  registry: {},
};

test('a draft with many errors still fills the form with what parsed, wrong values kept at their fields', () => {
  const form = formFromDraft(ERRORS_DRAFT);
  assert.deepEqual(form.hosts.map((h) => [h.name, h.address, h.port]), [['node1', '10.0.0.1', '70000'], ['node1', '10.233.0.9', '22']]);
  assert.equal(form.hosts[0]!.password, 'x');
  assert.deepEqual(form.hosts[1]!.roles, ['etcd']);
  assert.equal(form.name, 'Bad_Name');
  assert.equal(form.kubernetesVersion, 'v1.19.0');
  assert.equal(form.serviceCidr, '10.233.64.0/20');
  assert.equal(form.endpointPort, '6443');
});

test('missing sections and values of the wrong type fall back to the defaults instead of crashing', () => {
  for (const draft of [undefined, null, 'text', [], {}, { kubernetes: 'x', hosts: 'y' }, { hosts: [null, 3, { name: 'a', roles: 'etcd', auth: { type: 'weird' } }], registry: { mirrors: 'm' } }]) {
    const form = formFromDraft(draft);
    assert.ok(form.kubernetesVersion.length > 0);
    assert.ok(form.hosts.length >= 1);
  }
  const form = formFromDraft({ hosts: [{ name: 'a', roles: 'etcd', auth: { type: 'weird' } }] });
  assert.equal(form.hosts[0]!.name, 'a');
  assert.deepEqual(form.hosts[0]!.roles, []);
});
