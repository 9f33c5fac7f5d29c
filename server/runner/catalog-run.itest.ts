import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ensureMirror } from '../../e2e/mirror/serve';
import { labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { createCluster } from '../services/clusters/create-cluster';
import { ServiceError } from '../errors';
import { testEnv, tester, type TestEnv } from '../services/testing/test-env';
import { createAppRunner } from '../app-runner';
import type { Runner } from './runner';
import { installSpecInput, type LabUser } from './testing/install-spec';
import { readCells, readRunRow } from '../db/runs';
import * as repeat from '../services/runs/repeat-run';

// The catalog through the runner as the server wires it (createAppRunner): real SSH to lab hosts, artifacts from the
// Debian-built mirror, PKI and artifact cache in the data dir.
let hosts: LabHost[];
let env: TestEnv;
let runner: Runner;
let mirror: Awaited<ReturnType<typeof ensureMirror>>;

before(async () => {
  [hosts, mirror] = await Promise.all([labHosts(3), ensureMirror()]);
  env = testEnv();
  runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir });
  runner.recover();
});
after(async () => {
  await runner?.stop(1000);
  await mirror?.close();
  env?.close();
});

const ended = async (runId: number) => {
  await runner.whenEnded(runId, AbortSignal.timeout(180_000));
  return readRunRow(env.db, runId)!;
};

const spec = (name: string, withMirror: boolean, user: LabUser = 'root') => installSpecInput(name, hosts, { user, ...(withMirror ? { mirror: mirror.url } : {}) });

test('a mirror-only version without the mirror is refused before any run or host exists', async () => {
  const { id } = createCluster(env, { spec: spec(`nomirror-${process.pid}`, false) }, tester);
  await assert.rejects(runner.start({ clusterId: id, pipeline: 'createCluster' }), (err: unknown) => {
    assert.ok(err instanceof ServiceError && err.code === 'BAD_REQUEST', String(err));
    assert.match(err.message, /(etcd v3\.4\.23|containerd v1\.6\.20) \(amd64\) has no known sha256/);
    return true;
  });
  assert.equal((env.db.$client.prepare('select count(*) n from runs').get() as { n: number }).n, 0);
});

test('the lab etcd with Kubernetes in the run is refused naming kubeadm\'s minimum, before any run exists', async () => {
  const { id } = createCluster(env, { spec: spec(`pair-${process.pid}`, true) }, tester);
  await assert.rejects(runner.start({ clusterId: id, pipeline: 'createCluster' }), (err: unknown) => {
    assert.ok(err instanceof ServiceError && err.code === 'BAD_REQUEST', String(err));
    assert.match(err.message, /etcd\.version: etcd v3\.4\.23 is below v3\.5\.14, the etcd kubeadm supports for Kubernetes 1\.31/);
    assert.deepEqual(err.fieldErrors.map((f) => f.path), ['etcd.version']);
    return true;
  });
  assert.equal((env.db.$client.prepare('select count(*) n from runs where cluster_id = ?').get(id) as { n: number }).n, 0);
});

// Debian's etcd 3.4 is below kubeadm's minimum for every offered Kubernetes version: the lab's run stops after etcd.
for (const user of ['kxuser', 'kxnopw', 'root'] as const) {
  test(`as ${user}: createCluster --until etcd passes the first time; a retry skips every step; reset succeeds`, async () => {
    const { id } = createCluster(env, { spec: spec(`catalog-${user}-${process.pid}`, true, user) }, tester);
    const t0 = performance.now();
    const first = await ended((await runner.start({ clusterId: id, pipeline: 'createCluster', until: 'etcd' })).runId);
    console.log(`# createCluster --until etcd on 3 hosts as ${user}: ${Math.round(performance.now() - t0)} ms`);
    const bad = readCells(env.db, first.id).filter((c) => c.status !== 'succeeded' && c.status !== 'skipped');
    assert.deepEqual(bad.map((c) => `${c.stepId}@${c.host}: ${c.status} ${c.errorMessage ?? ''}`), []);
    assert.equal(first.status, 'succeeded', first.statusReason ?? '');
    assert.deepEqual((first.options as { until?: string }).until, 'etcd');
    const plan = first.plan as { modules: Array<{ name: string }> };
    assert.deepEqual(plan.modules.map((m) => m.name), ['Preflight', 'Kernel', 'containerd', 'etcd']);

    if (user === 'root') {
      const retry = await ended((await repeat.retry({ db: env.db, runner }, first.id)).runId);
      assert.equal(retry.parentRunId, first.id);
      assert.deepEqual((retry.options as { until?: string }).until, 'etcd', 'a retry keeps the phase');
      const again = readCells(env.db, retry.id).filter((c) => !/^0\./.test(c.stepId));
      assert.ok(again.length > 0);
      for (const c of again) assert.equal(c.status, 'skipped', `${c.stepId} on ${c.host} ran again`);
    }
    const reset = await ended((await runner.start({ clusterId: id, pipeline: 'resetCluster' })).runId);
    assert.equal(reset.status, 'succeeded', reset.statusReason ?? '');
  });
}
