import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importKubeKey } from '@/server/spec/kubekey-import';
import { formFromDraft } from './import-draft';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../server/spec/fixtures', name), 'utf8');

test('a file with many errors still fills the form with what parsed', () => {
  const r = importKubeKey(fixture('kubekey-errors.yaml'));
  assert.equal(r.ok, false);
  assert.ok(r.errors.length >= 5, JSON.stringify(r.errors));
  const form = formFromDraft(r.draft);
  assert.deepEqual(form.hosts.map((h) => [h.name, h.address]), [['node1', '10.0.0.1'], ['node1', '10.233.0.9']]);
  assert.equal(form.hosts[0]!.password, 'x');
  assert.equal(form.serviceCidr, '10.233.64.0/20');
});

test('one CIDR typo keeps every other value of the file', () => {
  const text = fixture('kubekey-sample.yaml').replace(/kubePodsCIDR: \S+/, 'kubePodsCIDR: 10.233.64.0/99');
  const r = importKubeKey(text);
  assert.equal(r.ok, false);
  assert.ok(r.errors.some((e) => e.path === 'network.podCidr'), JSON.stringify(r.errors));
  const form = formFromDraft(r.draft);
  assert.equal(form.podCidr, '10.233.64.0/99');
  assert.ok(form.hosts.length >= 2 && form.hosts.every((h) => h.name !== ''));
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
