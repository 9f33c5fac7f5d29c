import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ensureMirror } from '../../e2e/mirror/serve';
import { labHosts, type LabHost } from '../../e2e/hosts/fixture';
import type { ClusterSpecInput } from '../contracts/cluster-spec';
import { getSecret } from '../secrets/store';
import { createCluster } from '../services/clusters/create-cluster';
import { ServiceError } from '../errors';
import { testEnv, tester, type TestEnv } from '../services/testing/test-env';
import { createAppRunner, KUBECONFIG_SECRET_PATH } from '../app-runner';
import type { Runner } from './runner';
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

function spec(name: string, withMirror: boolean): ClusterSpecInput {
  const roles = [['etcd', 'control-plane'], ['etcd', 'worker'], ['etcd', 'worker']] as const;
  return {
    name,
    kubernetes: { version: 'v1.31.4' },
    etcd: { version: 'v3.4.23' },
    containerd: { version: 'v1.6.20' },
    artifacts: withMirror ? { mirror: mirror.url } : {},
    preflight: { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 },
    hosts: hosts.map((h, i) => ({
      name: h.name, address: h.address, port: h.port, user: 'root', auth: { type: 'key', privateKey: h.rootKey },
      hostKeyFingerprint: h.hostKeyFingerprint, roles: [...roles[i]!],
    })),
  } as ClusterSpecInput;
}

test('a mirror-only version without the mirror is refused before any run or host exists', async () => {
  const { id } = createCluster(env, { spec: spec(`nomirror-${process.pid}`, false) }, tester);
  await assert.rejects(runner.start({ clusterId: id, pipeline: 'createCluster' }), (err: unknown) => {
    assert.ok(err instanceof ServiceError && err.code === 'BAD_REQUEST', String(err));
    assert.match(err.message, /(etcd v3\.4\.23|containerd v1\.6\.20) \(amd64\) has no known sha256/);
    return true;
  });
  assert.equal((env.db.$client.prepare('select count(*) n from runs').get() as { n: number }).n, 0);
});

test('preflight passes, createCluster installs etcd + containerd and stops at kubeadm, retry skips what is done, reset succeeds', async () => {
  const { id } = createCluster(env, { spec: spec(`catalog-${process.pid}`, true) }, tester);

  const preflight = await ended((await runner.start({ clusterId: id, pipeline: 'preflightOnly' })).runId);
  assert.equal(preflight.status, 'succeeded', preflight.statusReason ?? '');

  const first = await runner.start({ clusterId: id, pipeline: 'createCluster' });
  const row = await ended(first.runId);
  assert.equal(row.status, 'failed');
  const plan = row.plan as { modules: Array<{ id: string; name: string; tasks: Array<{ steps: Array<{ id: string; name: string }> }> }> };
  const moduleOf = new Map(plan.modules.flatMap((m) => m.tasks.flatMap((t) => t.steps.map((s) => [s.id, m.name] as const))));
  const cells = readCells(env.db, first.runId);
  const inModule = (re: RegExp) => cells.filter((c) => re.test(moduleOf.get(c.stepId) ?? ''));
  for (const c of inModule(/etcd|containerd/i)) assert.ok(['succeeded', 'skipped'].includes(c.status), `${c.stepId} on ${c.host}: ${c.status} ${c.errorMessage ?? ''}`);
  const failed = cells.filter((c) => c.status === 'failed');
  assert.ok(failed.length > 0);
  for (const c of failed) assert.match(c.errorMessage ?? '', /kubeadm v1\.31\.4/);
  assert.equal(getSecret(env.db, env.secretBox, id, KUBECONFIG_SECRET_PATH), undefined);

  const retry = await ended((await repeat.retry({ db: env.db, runner }, first.runId)).runId);
  assert.equal(retry.parentRunId, first.runId);
  const again = readCells(env.db, retry.id).filter((c) => /etcd|containerd/i.test(moduleOf.get(c.stepId) ?? ''));
  assert.ok(again.length > 0);
  for (const c of again) assert.equal(c.status, 'skipped', `${c.stepId} on ${c.host} ran again`);

  const reset = await ended((await runner.start({ clusterId: id, pipeline: 'resetCluster' })).runId);
  assert.equal(reset.status, 'succeeded', reset.statusReason ?? '');
});
