import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterSpecPublic, mergeSecrets, MissingSecretsError, redactSpec, splitSecrets, validateSpec, withSecrets, type ClusterSpecInput } from './index';
import { type Loose, TEST_KEY, validDraft } from './fixtures/valid-spec';

const SECRETS = [TEST_KEY.trim(), 'pp-1', 'ssh-pass-2', 'sudo-pass-2', 'reg-pass-1'];

function valid(mutate: (s: Loose) => void = () => {}): ClusterSpecInput {
  const s = validDraft() as Loose;
  mutate(s);
  const r = validateSpec(s, { secrets: 'ignore' });
  assert.ok(r.ok, JSON.stringify(r.errors));
  return r.spec;
}

describe('secrets', () => {
  it('splitSecrets removes every secret value and lists them by stable path', () => {
    const { spec, secrets, cleared } = splitSecrets(valid());
    const json = JSON.stringify(spec);
    for (const s of SECRETS) assert.ok(!json.includes(s.slice(0, 40)), `secret leaked: ${s.slice(0, 10)}`);
    assert.deepEqual(secrets.map((s) => s.path).sort(), [
      'hosts.n1.auth.passphrase', 'hosts.n1.auth.privateKey', 'hosts.n2.auth.password', 'hosts.n2.sudoPassword',
      'hosts.n3.auth.privateKey', 'registry.privateRegistry.password',
    ]);
    assert.deepEqual(cleared, []);
    assert.deepEqual(spec.hosts[0]?.auth, { type: 'key', privateKey: { set: true }, passphrase: { set: true } });
    assert.deepEqual(spec.hosts[2]?.sudoPassword, { set: false });
    assert.equal(ClusterSpecPublic.safeParse(spec).success, true);
  });

  it('keeps stored secrets when omitted, clears on null, drops paths that disappear', () => {
    const first = splitSecrets(valid()).spec;
    const update = valid((s) => {
      delete s.hosts[0].auth.privateKey;
      s.hosts[0].auth.passphrase = null;
      s.hosts[2].name = 'n3b';
      delete s.hosts[2].auth.privateKey;
      s.hosts[1].auth = { type: 'key', privateKey: TEST_KEY };
    });
    const { spec, secrets, cleared } = splitSecrets(update, first);
    assert.deepEqual(spec.hosts[0]?.auth, { type: 'key', privateKey: { set: true }, passphrase: { set: false } });
    assert.deepEqual(spec.hosts[2]?.auth, { type: 'key', privateKey: { set: false }, passphrase: { set: false } });
    assert.deepEqual(secrets.map((s) => s.path).sort(), ['hosts.n2.auth.privateKey', 'hosts.n2.sudoPassword', 'registry.privateRegistry.password']);
    assert.deepEqual(cleared.sort(), ['hosts.n1.auth.passphrase', 'hosts.n2.auth.password', 'hosts.n3.auth.privateKey']);
  });

  it('mergeSecrets restores the runner spec and refuses missing ones', () => {
    const input = valid();
    const { spec, secrets } = splitSecrets(input);
    const map = new Map(secrets.map((s) => [s.path, s.value]));
    const full = mergeSecrets(spec, map);
    assert.deepEqual(full, { ...input, hosts: input.hosts.map((h) => ({ ...h, user: h.user ?? 'root' })) });
    map.delete('hosts.n2.sudoPassword');
    assert.throws(() => mergeSecrets(spec, map), (e: unknown) => e instanceof MissingSecretsError && e.paths.join() === 'hosts.n2.sudoPassword');
    assert.throws(() => mergeSecrets(spec, {}), MissingSecretsError);
  });

  it('redactSpec replaces secrets by set flags', () => {
    const red = redactSpec(valid((s) => delete s.hosts[1].sudoPassword));
    assert.deepEqual(red.hosts[1]?.auth, { type: 'password', password: { set: true } });
    assert.deepEqual(red.hosts[1]?.sudoPassword, { set: false });
    assert.deepEqual(red.registry.privateRegistry?.password, { set: true });
    const json = JSON.stringify(red);
    for (const s of SECRETS) assert.ok(!json.includes(s.slice(0, 40)));
  });

  it('withSecrets fills secrets by path', () => {
    const input = valid((s) => delete s.hosts[2].auth.privateKey);
    const filled = withSecrets(input, { 'hosts.n3.auth.privateKey': TEST_KEY });
    assert.equal(filled.hosts[2]?.auth?.type === 'key' && filled.hosts[2].auth.privateKey, TEST_KEY);
    assert.equal(validateSpec(filled).ok, true);
  });
});
