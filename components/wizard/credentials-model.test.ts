import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSpec } from '@/server/contracts/spec-secrets';
import { validateSpec } from '@/server/contracts/spec-validate';
import { applyBulk, selectRange } from './bulk-edit';
import { effectiveCredentials, emptyForm, emptyHost, fromPublicSpec, toSpecInput } from './form-model';

const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n';
const all = ['etcd', 'control-plane', 'worker'] as const;

test('hosts inherit the default credentials unless they have their own; an edit shows who inherits and what is stored', () => {
  const f = emptyForm();
  f.name = 'prod';
  f.defaults = { ...f.defaults, user: 'ubuntu', privateKey: key, sudoPassword: 'sudo-d' };
  f.hosts = [
    emptyHost({ name: 'n1', address: '10.0.0.1', roles: [...all] }),
    emptyHost({ name: 'n2', address: '10.0.0.2', user: 'admin', useDefaults: false, authType: 'password', password: 'pw-2' }),
  ];
  const r = validateSpec(toSpecInput(f));
  assert.ok(r.ok, JSON.stringify(r.errors));
  assert.deepEqual(r.spec.hostDefaults, { user: 'ubuntu', auth: { type: 'key', privateKey: key, passphrase: undefined }, sudoPassword: 'sudo-d' });
  assert.equal(r.spec.hosts[0]?.auth, undefined);
  assert.equal(r.spec.hosts[0]?.user, undefined);
  assert.deepEqual(r.spec.hosts[1]?.auth, { type: 'password', password: 'pw-2' });
  assert.deepEqual(effectiveCredentials(f.hosts[0]!, f.defaults).user, 'ubuntu');

  const back = fromPublicSpec(redactSpec(r.spec));
  assert.deepEqual(back.hosts.map((h) => [h.useDefaults, h.user, h.authType, h.stored.password]), [[true, '', 'key', false], [false, 'admin', 'password', true]]);
  assert.deepEqual([back.defaults.user, back.defaults.stored.privateKey, back.defaults.stored.sudoPassword, back.defaults.privateKey], ['ubuntu', true, true, '']);
  const again = toSpecInput(back);
  assert.deepEqual(again.hostDefaults?.auth, { type: 'key', privateKey: undefined, passphrase: undefined }, 'an untouched stored default key is kept (omitted), never sent back');
});

test('bulk changes touch only the selected rows; shift-click selects the range', () => {
  const rows = Array.from({ length: 6 }, (_, i) => emptyHost({ name: `n${i}`, labels: i === 1 ? 'zone=a' : '' }));
  const keys = rows.map((r) => r.key);
  const sel = selectRange(keys, new Set([keys[0]!]), keys[1]!, keys[3]!, true);
  assert.deepEqual([...sel].map((k) => keys.indexOf(k)).sort(), [0, 1, 2, 3]);
  let out = applyBulk(rows, sel, { kind: 'user', user: ' deploy ' });
  out = applyBulk(out, sel, { kind: 'role', role: 'worker', on: true });
  out = applyBulk(out, sel, { kind: 'label', label: 'pool=b, gpu', on: true });
  out = applyBulk(out, new Set([keys[1]!]), { kind: 'credentials', useDefaults: false, authType: 'password' });
  assert.deepEqual(out.map((h) => [h.user, h.roles.join(), h.labels, h.useDefaults, h.authType]), [
    ['deploy', 'worker', 'pool=b, gpu', true, 'key'],
    ['deploy', 'worker', 'zone=a, pool=b, gpu', false, 'password'],
    ['deploy', 'worker', 'pool=b, gpu', true, 'key'],
    ['deploy', 'worker', 'pool=b, gpu', true, 'key'],
    ['', '', '', true, 'key'],
    ['', '', '', true, 'key'],
  ]);
  assert.equal(out[4], rows[4], 'unselected rows keep their identity');
  out = applyBulk(out, sel, { kind: 'label', label: 'gpu', on: false });
  assert.equal(out[1]?.labels, 'zone=a, pool=b');
});
