import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ClusterSpecPublic } from '../contracts/cluster-spec';
import { secretSlots } from '../contracts/spec-secrets';
import { exportKubeKey } from './kubekey-export';
import { mergeSecrets, MissingSecretsError, splitSecrets, validateSpec } from './index';
import { type Loose, TEST_KEY, validDraft } from './fixtures/valid-spec';

const OTHER_KEY = TEST_KEY.replace('b3Bl', 'Zm9v');

/** n1 inherits everything, n2 has its own password login, n3 its own user but the default key and sudo password. */
function withDefaults(mutate: (s: Loose) => void = () => {}): Loose {
  const s = validDraft() as Loose;
  s.hostDefaults = { user: 'ubuntu', auth: { type: 'key', privateKey: OTHER_KEY }, sudoPassword: 'default-sudo' };
  delete s.hosts[0].auth;
  s.hosts[2] = { ...s.hosts[2], user: 'admin' };
  delete s.hosts[2].auth;
  mutate(s);
  return s;
}

describe('cluster-wide default credentials', () => {
  it('are stored once, encrypted apart from the spec, and resolved into every inheriting host for the runner', () => {
    const checked = validateSpec(withDefaults());
    assert.ok(checked.ok, JSON.stringify(checked.errors));
    const { spec, secrets } = splitSecrets(checked.spec);
    assert.deepEqual(secrets.map((s) => s.path).sort(), [
      'hostDefaults.auth.privateKey', 'hostDefaults.sudoPassword', 'hosts.n2.auth.password', 'hosts.n2.sudoPassword', 'registry.privateRegistry.password',
    ]);
    const stored = JSON.stringify(ClusterSpecPublic.parse(spec));
    for (const s of secrets) assert.equal(stored.includes(s.value.trim()), false, `${s.path} leaked into the stored spec`);

    const full = mergeSecrets(spec, new Map(secrets.map((s) => [s.path, s.value])));
    const [n1, n2, n3] = full.hosts;
    assert.deepEqual([n1?.user, n1?.auth, n1?.sudoPassword], ['ubuntu', { type: 'key', privateKey: OTHER_KEY }, 'default-sudo']);
    assert.deepEqual([n2?.user, n2?.auth, n2?.sudoPassword], ['debian', { type: 'password', password: 'ssh-pass-2' }, 'sudo-pass-2']);
    assert.deepEqual([n3?.user, n3?.auth, n3?.sudoPassword], ['admin', { type: 'key', privateKey: OTHER_KEY }, 'default-sudo']);

    const missing = new Map(secrets.filter((s) => s.path !== 'hostDefaults.auth.privateKey').map((s) => [s.path, s.value]));
    assert.throws(() => mergeSecrets(spec, missing), (e: unknown) => e instanceof MissingSecretsError && e.paths.join() === 'hostDefaults.auth.privateKey');
  });

  it('the default key is required only while a host inherits it; a host with neither its own nor a default is a field error', () => {
    const noKey = validateSpec(withDefaults((s) => delete s.hostDefaults.auth.privateKey));
    assert.deepEqual(noKey.errors, [{ path: 'hostDefaults.auth.privateKey', message: 'required' }]);
    const slots = secretSlots(validateSpec(withDefaults(), { secrets: 'ignore' }).spec!);
    assert.equal(slots.find((s) => s.path === 'hostDefaults.auth.privateKey')?.required, true);

    const nobodyInherits = validDraft() as Loose;
    nobodyInherits.hostDefaults = { user: 'ubuntu', auth: { type: 'key' } };
    assert.equal(validateSpec(nobodyInherits).ok, true);

    const orphan = validDraft() as Loose;
    delete orphan.hosts[1].auth;
    const r = validateSpec(orphan);
    assert.ok(r.errors.some((e) => e.path === 'hosts.1.auth' && /cluster default credentials/.test(e.message)), JSON.stringify(r.errors));
  });

  it('the KubeKey export writes each host with the user and login it inherits (KubeKey has no cluster-wide credentials)', () => {
    const { spec } = splitSecrets(validateSpec(withDefaults()).spec!);
    const hosts = (parse(exportKubeKey(spec)) as { spec: { hosts: Array<Record<string, unknown>> } }).spec.hosts;
    assert.deepEqual(hosts.map((h) => [h.name, h.user, 'privateKeyPath' in h, h.password]), [
      ['n1', 'ubuntu', true, ''],
      ['n2', 'debian', false, ''],
      ['n3', 'admin', true, ''],
    ]);
    assert.equal(JSON.stringify(hosts).includes('default-sudo'), false);
  });
});
