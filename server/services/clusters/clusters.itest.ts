import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { runs } from '../../db/schema';
import { type Loose, TEST_KEY, validDraft } from '../../spec/fixtures/valid-spec';
import { ServiceError } from '../../errors';
import { createCluster } from './create-cluster';
import { deleteCluster } from './delete-cluster';
import { getCluster } from './get-cluster';
import { listClusters } from './list-clusters';
import { loadClusterForRun } from './load-for-run';
import { dbBytes, rowCounts, tester, testEnv } from '../testing/test-env';
import { updateCluster } from './update-cluster';

const SECRETS = { key: TEST_KEY.replace('bm9uZQ', 'U0VDUkVUS0VZ'), pp: 'pp-Zq81-secret', ssh: 'ssh-Pw7-secret', sudo: 'sudo-Pw9-secret', reg: 'reg-Pw3-secret' };
function spec(name = 'demo'): Loose {
  const s = validDraft() as Loose;
  s.name = name;
  s.hosts[0].auth = { type: 'key', privateKey: SECRETS.key, passphrase: SECRETS.pp };
  s.hosts[1].auth = { type: 'password', password: SECRETS.ssh };
  s.hosts[1].sudoPassword = SECRETS.sudo;
  s.hosts[2].auth = { type: 'key', privateKey: SECRETS.key };
  s.registry.privateRegistry.password = SECRETS.reg;
  return s;
}
const rejects = (fn: () => unknown, code: string, path?: string) =>
  assert.throws(fn, (e: unknown) => e instanceof ServiceError && e.code === code && (path === undefined || e.fieldErrors.some((f) => f.path === path)));
const rejectsAsync = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof ServiceError && e.code === code);

describe('clusters service on a real SQLite file', () => {
  const env = testEnv();
  after(() => env.close());

  it('creates a cluster: public spec without secrets, hosts synced, spec pin adopted, audited', async () => {
    const saved = createCluster(env, { spec: spec() }, tester);
    assert.equal(saved.version, 1);
    const got = getCluster(env, { clusterId: saved.id });
    assert.equal(got.draft, false);
    const text = JSON.stringify(got);
    for (const s of Object.values(SECRETS)) assert.ok(!text.includes(s), 'secret in the public answer');
    const pub = got.spec as ClusterSpecPublic;
    assert.deepEqual(pub.hosts[1]!.auth, { type: 'password', password: { set: true } });
    assert.deepEqual(pub.hosts[2]!.sudoPassword, { set: false });
    assert.deepEqual(got.hosts.map((h) => [h.name, h.address, h.port, h.username, h.hostKey.fingerprint]), [
      ['n1', '198.51.100.11', 22, 'root', null],
      ['n2', '198.51.100.12', 22, 'debian', null],
      ['n3', 'n3.example.com', 2222, 'root', 'SHA256:' + 'A'.repeat(43)],
    ]);
    assert.ok(got.secrets.some((s) => s.path === 'hosts.n2.sudoPassword' && s.set));
    const run = await loadClusterForRun(env, saved.id);
    assert.equal(run.spec.hosts[1]!.sudoPassword, SECRETS.sudo);
    assert.deepEqual(run.spec.hosts[0]!.auth, { type: 'key', privateKey: SECRETS.key, passphrase: SECRETS.pp });
    assert.equal(run.spec.registry.privateRegistry?.password, SECRETS.reg);
    assert.deepEqual(run.hostKeys, { n1: null, n2: null, n3: 'SHA256:' + 'A'.repeat(43) });
    const audit = env.db.$client.prepare(`select actor, action, target, detail from audit_log`).all() as Array<{ detail: string }>;
    assert.equal(audit.length, 1);
    assert.match(JSON.stringify(audit), /cluster\.created/);
    for (const s of Object.values(SECRETS)) assert.ok(!JSON.stringify(audit).includes(s));
  });

  it('the database file and its WAL contain no plaintext secret', () => {
    const bytes = dbBytes(env.file);
    assert.ok(bytes.includes(Buffer.from('198.51.100.12')), 'sanity: spec text is in the file');
    for (const s of [...Object.values(SECRETS), 'U0VDUkVUS0VZ']) assert.equal(bytes.indexOf(Buffer.from(s)), -1, `plaintext ${s} in the DB files`);
  });

  it('rejects a bad spec with field errors and writes nothing', () => {
    const before = rowCounts(env.db);
    const bad = spec('bad');
    bad.hosts[1].name = 'N 2;';
    bad.network = { podCidr: '10.0.0.0/16', serviceCidr: '10.0.128.0/20' };
    delete bad.hosts[0].auth.privateKey;
    rejects(() => createCluster(env, { spec: bad }, tester), 'BAD_REQUEST', 'hosts.1.name');
    try {
      createCluster(env, { spec: bad }, tester);
    } catch (e) {
      const paths = (e as ServiceError).fieldErrors.map((f) => f.path);
      assert.ok(paths.includes('network.serviceCidr'), paths.join());
    }
    rejects(() => createCluster(env, { spec: spec() }, tester), 'CONFLICT', 'name');
    assert.deepEqual(rowCounts(env.db), before);
  });

  it('updates: omitted secrets are kept, null clears, stale versions conflict, renames drop pins and need secrets', async () => {
    const id = listClusters(env).find((c) => c.name === 'demo')!.id;
    const edit = spec();
    delete edit.hosts[0].auth.privateKey;
    edit.hosts[0].auth.passphrase = null;
    delete edit.hosts[1].auth.password;
    delete edit.hosts[1].sudoPassword;
    delete edit.registry.privateRegistry.password;
    delete edit.hosts[2].auth.privateKey;
    edit.hosts[0].address = '198.51.100.21';
    const saved = updateCluster(env, { clusterId: id, expectedVersion: 1, spec: edit }, tester);
    assert.equal(saved.version, 2);
    const run = await loadClusterForRun(env, id);
    assert.deepEqual(run.spec.hosts[0]!.auth, { type: 'key', privateKey: SECRETS.key });
    assert.equal(run.spec.hosts[1]!.sudoPassword, SECRETS.sudo);
    assert.equal(run.spec.hosts[0]!.address, '198.51.100.21');
    assert.equal(getCluster(env, { clusterId: id }).hosts[0]!.address, '198.51.100.21');
    rejects(() => updateCluster(env, { clusterId: id, expectedVersion: 1, spec: edit }, tester), 'CONFLICT');
    const clearRequired = structuredClone(edit);
    clearRequired.hosts[1].auth.password = null;
    rejects(() => updateCluster(env, { clusterId: id, expectedVersion: 2, spec: clearRequired }, tester), 'BAD_REQUEST', 'hosts.1.auth.password');
    const renamed = structuredClone(edit);
    renamed.hosts[2].name = 'n9';
    rejects(() => updateCluster(env, { clusterId: id, expectedVersion: 2, spec: renamed }, tester), 'BAD_REQUEST', 'hosts.2.auth.privateKey');
    renamed.hosts[2].auth.privateKey = SECRETS.key;
    const r = updateCluster(env, { clusterId: id, expectedVersion: 2, spec: renamed }, tester);
    assert.ok(r.warnings.some((w) => w.path === 'hosts.2.hostKeyFingerprint'));
    const got = getCluster(env, { clusterId: id });
    assert.deepEqual(got.hosts.map((h) => [h.name, h.hostKey.fingerprint]), [['n1', null], ['n2', null], ['n9', null]]);
    const paths = env.db.$client.prepare('select path from credentials where cluster_id = ? order by path').all(id).map((x) => (x as { path: string }).path);
    assert.deepEqual(paths, ['hosts.n1.auth.privateKey', 'hosts.n2.auth.password', 'hosts.n2.sudoPassword', 'hosts.n9.auth.privateKey', 'registry.privateRegistry.password']);
  });

  it('lists clusters with their last run; delete is refused during a run and keeps run history', async () => {
    const id = listClusters(env).find((c) => c.name === 'demo')!.id;
    const insertRun = (status: 'running' | 'succeeded') =>
      env.db.insert(runs).values({ clusterId: id, clusterName: 'demo', pipeline: 'preflight', status, specSnapshot: {}, hosts: ['n1'] }).returning({ id: runs.id }).get().id;
    insertRun('succeeded');
    const active = insertRun('running');
    const listed = listClusters(env).find((c) => c.id === id)!;
    assert.deepEqual([listed.hostCount, listed.lastRun?.id, listed.lastRun?.status], [3, active, 'running']);
    await rejectsAsync(deleteCluster(env, { clusterId: id, confirmName: 'demo' }, tester), 'PRECONDITION_FAILED');
    env.db.$client.prepare(`update runs set status = 'failed' where id = ?`).run(active);
    // the name is checked on the server: a wrong or missing one changes nothing
    for (const confirmName of ['', 'Demo', 'demo ']) {
      await assert.rejects(deleteCluster(env, { clusterId: id, confirmName }, tester), (e: unknown) => e instanceof ServiceError && e.code === 'BAD_REQUEST' && e.fieldErrors.some((f) => f.path === 'confirmName'));
    }
    assert.equal(rowCounts(env.db).clusters, 1);
    assert.deepEqual(await deleteCluster(env, { clusterId: id, confirmName: 'demo' }, tester), { deleted: true, id, name: 'demo' });
    const counts = rowCounts(env.db);
    assert.deepEqual([counts.clusters, counts.hosts, counts.credentials], [0, 0, 0]);
    const left = env.db.$client.prepare('select cluster_id, cluster_name from runs').all() as Array<{ cluster_id: number | null; cluster_name: string }>;
    assert.deepEqual(left.map((r) => [r.cluster_id, r.cluster_name]), [[null, 'demo'], [null, 'demo']]);
    rejects(() => getCluster(env, { clusterId: id }), 'NOT_FOUND');
    await rejectsAsync(loadClusterForRun(env, id), 'NOT_FOUND');
    const actions = env.db.$client.prepare('select action from audit_log order by id').all().map((x) => (x as { action: string }).action);
    assert.deepEqual(actions, ['cluster.created', 'cluster.updated', 'cluster.updated', 'cluster.deleted']);
  });
});
