import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { filePkiStore, pkiDir } from '../../catalog/pki/store';
import { ensureEtcdPki } from '../../catalog/pki/etcd-pki';
import { ServiceError } from '../../errors';
import { createCluster } from '../clusters/create-cluster';
import { testEnv, tester } from '../testing/test-env';
import { startDueBackups } from './backup-scheduler';
import { etcdBackupStore, listBackups } from './backup-store';
import { etcdCertificates, etcdScheduleOf, setEtcdSchedule, startEtcdRestore } from './etcd-services';
import { renewInStore } from '../../catalog/etcd/renew';
import { startRun } from '../runs/start-run';

const hosts = ['198.51.100.201', '198.51.100.202', '198.51.100.203'].map((address, i) => ({
  name: `m${i + 1}`, address, user: 'root', auth: { type: 'password', password: 'pw' }, roles: i === 0 ? ['etcd', 'control-plane'] : ['etcd', 'worker'],
}));
const setup = () => {
  const env = testEnv();
  const { id } = createCluster(env, { spec: { name: 'prod', kubernetes: { version: 'v1.31.4' }, hosts } }, tester);
  const starts: Array<{ clusterId: number; pipeline: string; backupId?: number; createdBy: string }> = [];
  const runner = { start: async (input: (typeof starts)[number]) => (starts.push(input), { runId: starts.length }) };
  return { env, id, starts, deps: { db: env.db, runner: runner as never, env: { dataDir: env.dir } } };
};

test('restore needs the cluster name typed exactly; nothing starts otherwise', async () => {
  const { env, id, starts, deps } = setup();
  try {
    assert.throws(() => startEtcdRestore(deps, { clusterId: id, backupId: 1, confirmName: 'Prod' }, tester), (err: unknown) => {
      assert.ok(err instanceof ServiceError && err.code === 'BAD_REQUEST');
      assert.deepEqual(err.fieldErrors, [{ path: 'confirmName', message: `type the cluster's name "prod" to restore it` }]);
      return true;
    });
    assert.equal(starts.length, 0);
    await startEtcdRestore(deps, { clusterId: id, backupId: 1, confirmName: 'prod' }, tester);
    assert.deepEqual(starts, [{ clusterId: id, pipeline: 'etcdRestore', backupId: 1, createdBy: 'tester' }]);
  } finally {
    env.close();
  }
});

test('a restore started as a plain run (runs.start, the CLI) needs the typed name too', async () => {
  const { env, id, starts, deps } = setup();
  try {
    for (const confirmName of [undefined, 'Prod', 'other']) {
      await assert.rejects(startRun(deps, { clusterId: id, pipeline: 'etcdRestore', backupId: 1, ...(confirmName === undefined ? {} : { confirmName }) }, tester), (err: unknown) => {
        assert.ok(err instanceof ServiceError && err.code === 'BAD_REQUEST');
        assert.deepEqual(err.fieldErrors?.map((f) => f.path), ['confirmName']);
        return true;
      });
    }
    assert.equal(starts.length, 0);
    await startRun(deps, { clusterId: id, pipeline: 'etcdRestore', backupId: 1, confirmName: 'prod' }, tester);
    assert.deepEqual(starts.map((s) => [s.pipeline, s.backupId]), [['etcdRestore', 1]]);
  } finally {
    env.close();
  }
});

test('a schedule starts an ordinary backup run when due, once per period; retention keeps the last N and never the one just taken', async () => {
  const { env, id, starts, deps } = setup();
  try {
    assert.deepEqual(etcdScheduleOf(deps, { clusterId: id }), { enabled: false, everyMinutes: 360, keepLast: 10, maxAgeDays: 30, lastStartedAt: null, stored: false });
    setEtcdSchedule(deps, { clusterId: id, enabled: true, everyMinutes: 60, keepLast: 2, maxAgeDays: 1 }, tester);
    const t0 = 1_800_000_000_000;
    assert.deepEqual(await startDueBackups(env.db, deps.runner as never, t0), [1]);
    assert.deepEqual(await startDueBackups(env.db, deps.runner as never, t0 + 59 * 60_000), []);
    assert.deepEqual(await startDueBackups(env.db, deps.runner as never, t0 + 60 * 60_000), [2]);
    assert.deepEqual(starts.map((s) => [s.pipeline, s.createdBy]), [['etcdBackup', 'schedule'], ['etcdBackup', 'schedule']]);

    let now = t0;
    const store = etcdBackupStore(env.db, env.dir, () => now);
    const add = (rev: number) => store.record(id, { runId: null, sha256: 'a'.repeat(64), sizeBytes: 1, revision: rev, totalKeys: 1, member: 'm1', members: [], data: Buffer.from([rev]) });
    const [b1, b2] = [add(1), add(2)];
    now += 2 * 86_400_000;
    const b3 = add(3);
    assert.equal(statSync(b3.path).mode & 0o777, 0o600);
    assert.deepEqual(store.prune(id, b3.id).sort(), [b1.id, b2.id]);
    assert.deepEqual(listBackups(env.db, env.dir, id).map((b) => b.id), [b3.id]);
    assert.throws(() => statSync(b1.path), /ENOENT/);
  } finally {
    env.close();
  }
});

test('certificate expiry per certificate: CA, server, peer, client; renewal changes members and admin, not the CA or the API server client', async () => {
  const { env, id, deps } = setup();
  try {
    const spec = { hosts: hosts.map((h) => ({ ...h, port: 22, labels: {} })) } as never;
    const store = filePkiStore(pkiDir({ dataDir: env.dir, clusterId: id }, 'prod', 'etcd'));
    const now = new Date('2027-01-01T00:00:00Z');
    await ensureEtcdPki(spec, store, now);
    const certs = await etcdCertificates(deps, { clusterId: id }, now.getTime());
    assert.deepEqual(certs.map((c) => `${c.kind}:${c.name}`), ['ca:ca', 'server:server-m1', 'server:server-m2', 'server:server-m3', 'peer:peer-m1', 'peer:peer-m2', 'peer:peer-m3', 'client:admin', 'client:apiserver-etcd-client']);
    assert.ok(certs.every((c) => c.daysLeft >= 3649), JSON.stringify(certs.map((c) => c.daysLeft)));
    const pem = async () => new Map(await Promise.all(certs.map(async (c) => [c.name, await store.read(`${c.name}.crt`, false)] as const)));
    const before = await pem();
    const later = new Date('2028-01-01T00:00:00Z');
    const renewed = await renewInStore(spec, store, later);
    assert.deepEqual(renewed.map((r) => r.name).sort(), ['admin', 'peer-m1', 'peer-m2', 'peer-m3', 'server-m1', 'server-m2', 'server-m3']);
    const after = await pem();
    for (const [name, cert] of after) assert.equal(cert === before.get(name), name === 'ca' || name === 'apiserver-etcd-client', name);
    // a leaf never outlives its CA: renewal from the same CA ends when the CA ends
    const ca = certs.find((c) => c.kind === 'ca')!;
    for (const c of await etcdCertificates(deps, { clusterId: id }, later.getTime())) assert.ok(c.notAfter <= ca.notAfter, c.name);
  } finally {
    env.close();
  }
});
