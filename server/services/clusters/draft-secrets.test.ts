import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TEST_KEY } from '../../spec/fixtures/valid-spec';
import { splitDraftSecrets } from './draft-secrets';

it('a draft keeps the default credentials\' secrets apart like a host\'s: set, kept when omitted, cleared with null', () => {
  const draft = { name: 'd', hostDefaults: { user: 'ubuntu', auth: { type: 'key', privateKey: TEST_KEY }, sudoPassword: 'sudo-d' }, hosts: [{ name: 'n1' }] };
  const first = splitDraftSecrets(draft, new Set());
  assert.deepEqual(first.errors, []);
  assert.deepEqual(first.writes.put.map((p) => p.path).sort(), ['hostDefaults.auth.privateKey', 'hostDefaults.sudoPassword']);
  assert.equal(JSON.stringify(first.draft).includes('sudo-d'), false);
  assert.deepEqual((first.draft.hostDefaults as { auth: unknown }).auth, { type: 'key', privateKey: { set: true }, passphrase: { set: false } });

  const stored = new Set(first.writes.put.map((p) => p.path));
  const kept = splitDraftSecrets({ ...draft, hostDefaults: { user: 'ubuntu', auth: { type: 'key' }, sudoPassword: null } }, stored);
  assert.deepEqual(kept.writes, { put: [], cleared: ['hostDefaults.sudoPassword'] });
  const bad = splitDraftSecrets({ ...draft, hostDefaults: { user: 'ubuntu', auth: { type: 'key', privateKey: 'not a key' } } }, stored);
  assert.deepEqual(bad.errors.map((e) => e.path), ['hostDefaults.auth.privateKey']);
});
