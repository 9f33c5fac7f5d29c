import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { probeHost as connectorProbe } from '../../connectors/ssh';
import type { ProbeResult } from '../../contracts/cluster-api';
import { ServiceError } from '../../errors';
import { acceptKey } from '../hosts/accept-key';
import { forgetKey } from '../hosts/forget-key';
import { probeAll } from '../hosts/probe-all';
import { probeHost } from '../hosts/probe-host';
import { createCluster } from './create-cluster';
import { getCluster } from './get-cluster';
import { loadClusterForRun } from './load-for-run';
import { tester, testEnv } from '../testing/test-env';

// Run with KUBEXMS_LAB_HOSTS set to hosts no other engineer uses (e.g. 10,11,12): host 3 of the set gets a new host key.
const ok = (r: ProbeResult) => {
  assert.ok(r.ok, `probe failed: ${JSON.stringify(r)}`);
  return r;
};
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ServiceError ? e.code : String(e)));

describe('host keys and test connection against lab hosts', () => {
  const env = testEnv();
  let lab: LabHost[] = [];
  let clusterId = 0;
  before(async () => {
    lab = await labHosts(3);
    const [a, b, c] = lab as [LabHost, LabHost, LabHost];
    const spec = {
      name: 'lab',
      kubernetes: { version: 'v1.30.4' },
      hosts: [
        { name: 'a', address: a.address, port: a.port, auth: { type: 'key', privateKey: a.rootKey }, roles: ['etcd', 'control-plane'] },
        { name: 'b', address: b.address, user: 'kxuser', auth: { type: 'password', password: b.users.kxuser.password }, sudoPassword: b.users.kxuser.password, roles: ['worker'] },
        { name: 'c', address: c.address, auth: { type: 'key', privateKey: c.rootKey }, roles: ['worker'] },
      ],
    };
    clusterId = createCluster(env, { spec }, tester).id;
  });
  after(() => env.close());

  it('probes a saved key-auth host: fingerprint, no pin yet, facts read and stored', async () => {
    const r = ok(await probeHost(env, { clusterId, host: 'a' }));
    assert.deepEqual([r.fingerprint, r.pinned, r.matches], [lab[0]!.hostKeyFingerprint, null, null]);
    assert.equal(r.facts?.hostname, lab[0]!.name);
    assert.match(r.facts?.os.prettyName ?? '', /Debian/);
    assert.ok((r.facts?.cpus ?? 0) >= 1 && (r.facts?.memoryKb ?? 0) > 0);
    assert.deepEqual(getCluster(env, { clusterId }).hosts[0]!.facts, r.facts);
  });

  it('does not send a password to an unpinned key; accepting checks the key and pins it', async () => {
    const unpinned = ok(await probeHost(env, { clusterId, host: 'b' }));
    assert.deepEqual([unpinned.facts, unpinned.matches], [null, null]);
    assert.equal(await code(acceptKey(env, { clusterId, host: 'b', fingerprint: lab[0]!.hostKeyFingerprint }, tester)), 'CONFLICT');
    const accepted = await acceptKey(env, { clusterId, host: 'b', fingerprint: unpinned.fingerprint }, tester);
    assert.equal(accepted.fingerprint, lab[1]!.hostKeyFingerprint);
    const pinned = ok(await probeHost(env, { clusterId, host: 'b' }));
    assert.deepEqual([pinned.matches, pinned.facts?.hostname], [true, lab[1]!.name]);
    assert.equal((await loadClusterForRun(env, clusterId)).hostKeys.b, lab[1]!.hostKeyFingerprint);
    const audit = env.db.$client.prepare(`select action, target from audit_log where action = 'hostkey.accepted'`).all();
    assert.deepEqual(audit, [{ action: 'hostkey.accepted', target: 'lab/b' }]);
  });

  it('probes an unsaved wizard host; secrets left out come from the stored cluster', async () => {
    const b = lab[1]!;
    const form = { name: 'b', address: b.address, port: b.port, user: 'kxuser', auth: { type: 'password' as const }, hostKeyFingerprint: b.hostKeyFingerprint };
    assert.equal(ok(await probeHost(env, { clusterId, form })).facts?.hostname, b.name);
    const wrong = await probeHost(env, { form: { ...form, auth: { type: 'password', password: 'not-the-password' } } });
    assert.deepEqual([wrong.ok, !wrong.ok && wrong.kind], [false, 'auth']);
    const closed = await probeHost(env, { clusterId, form: { ...form, port: 2 } });
    assert.deepEqual([closed.ok, !closed.ok && closed.kind], [false, 'unreachable']);
    assert.equal(await code(probeHost(env, { form: { ...form, name: 'zz' } })), 'BAD_REQUEST');
  });

  it('a changed host key is reported with both fingerprints and cannot be accepted as the old one', async () => {
    const c = lab[2]!;
    const old = c.hostKeyFingerprint;
    await acceptKey(env, { clusterId, host: 'c', fingerprint: old }, tester);
    try {
      const fresh = await labControl.regenHostKey(c.index);
      assert.notEqual(fresh, old);
      const r = ok(await probeHost(env, { clusterId, host: 'c' }));
      assert.deepEqual([r.matches, r.pinned, r.fingerprint, r.facts], [false, old, fresh, null]);
      assert.ok(r.message?.includes(old) && r.message.includes(fresh), r.message ?? '');
      assert.equal(await code(acceptKey(env, { clusterId, host: 'c', fingerprint: old }, tester)), 'CONFLICT');
      const run = await loadClusterForRun(env, clusterId);
      const h = run.spec.hosts[2]!;
      const target = { host: h.address, port: h.port, username: h.user, privateKey: h.auth.type === 'key' ? h.auth.privateKey : '', hostKeyFingerprint: run.hostKeys.c ?? '' };
      await assert.rejects(connectorProbe(target), (e: Error & { kind?: string }) => e.kind === 'hostkey' && e.message.includes(old) && e.message.includes(fresh));
      const all = await probeAll(env, { clusterId });
      assert.deepEqual(all.results.map((x) => [x.host, x.ok && x.matches]), [['a', null], ['b', true], ['c', false]]);
      forgetKey(env, { clusterId, host: 'c' }, tester);
      assert.equal(getCluster(env, { clusterId }).hosts[2]!.hostKey.fingerprint, null);
      assert.equal((await acceptKey(env, { clusterId, host: 'c', fingerprint: fresh }, tester)).fingerprint, fresh);
    } finally {
      await labControl.restoreHostKey(c.index);
    }
    const [again] = (await labHosts(3)).slice(2);
    assert.equal(again!.hostKeyFingerprint, old, 'host key restored');
  });
});

describe('hosts that inherit the cluster default credentials', () => {
  const env = testEnv();
  let lab: LabHost[] = [];
  let clusterId = 0;
  before(async () => {
    lab = await labHosts(3);
    const [a, b] = lab as [LabHost, LabHost];
    const pw = a.users.kxuser.password;
    const spec = {
      name: 'inherit',
      kubernetes: { version: 'v1.30.4' },
      hostDefaults: { user: 'kxuser', auth: { type: 'password', password: pw }, sudoPassword: pw },
      hosts: [
        { name: 'x', address: a.address, port: a.port, roles: ['etcd', 'control-plane'] },
        { name: 'y', address: b.address, user: 'root', auth: { type: 'key', privateKey: b.rootKey }, roles: ['worker'] },
      ],
    };
    clusterId = createCluster(env, { spec }, tester).id;
  });
  after(() => env.close());

  it('log in with the stored default (saved host and wizard form alike) and reach the runner resolved', async () => {
    const detail = getCluster(env, { clusterId });
    assert.deepEqual(detail.hosts.map((h) => [h.name, h.username]), [['x', 'kxuser'], ['y', 'root']]);
    assert.deepEqual(detail.secrets.filter((s) => s.set).map((s) => s.path).sort(), ['hostDefaults.auth.password', 'hostDefaults.sudoPassword', 'hosts.y.auth.privateKey']);
    const unpinned = ok(await probeHost(env, { clusterId, host: 'x' }));
    assert.equal(unpinned.facts, null, 'the default password waits for an accepted key like any other');
    await acceptKey(env, { clusterId, host: 'x', fingerprint: unpinned.fingerprint }, tester);
    assert.equal(ok(await probeHost(env, { clusterId, host: 'x' })).facts?.hostname, lab[0]!.name);
    // the wizard editing this cluster sends no secret: usesDefaults takes the stored default password
    const form = { name: 'x', address: lab[0]!.address, port: lab[0]!.port, user: 'kxuser', auth: { type: 'password' as const }, usesDefaults: true };
    assert.equal(ok(await probeHost(env, { clusterId, form })).facts?.hostname, lab[0]!.name);
    assert.equal(await code(probeHost(env, { clusterId, form: { ...form, usesDefaults: false } })), 'BAD_REQUEST');

    const run = await loadClusterForRun(env, clusterId);
    const x = run.spec.hosts[0]!;
    assert.deepEqual([x.user, x.auth, x.sudoPassword], ['kxuser', { type: 'password', password: lab[0]!.users.kxuser.password }, lab[0]!.users.kxuser.password]);
    assert.equal(run.spec.hosts[1]!.sudoPassword, undefined, 'a host with its own login does not get the default sudo password');
  });
});
