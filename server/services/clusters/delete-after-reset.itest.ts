import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { createAppRunner } from '../../app-runner';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import { ServiceError } from '../../errors';
import type { Runner } from '../../runner/runner';
import { labClusterInput } from '../../runner/testing/lab-spec';
import { retry } from '../runs/repeat-run';
import { listRuns, deletedClusterNames } from '../runs/list-runs';
import { testEnv, tester, type TestEnv } from '../testing/test-env';
import { createCluster } from './create-cluster';
import { deleteCluster } from './delete-cluster';

let hosts: LabHost[];
let env: TestEnv;
let runner: Runner;
let closedPort: number;

before(async () => {
  hosts = await labHosts(2);
  env = testEnv();
  // statusAfterRun: a deleted cluster must not get a status run queued after its reset
  runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir }, { statusAfterRun: true });
  runner.recover();
  // a port that refuses connections: a host there makes the reset fail fast (unreachable)
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
after(async () => {
  await runner?.stop(1000);
  env?.close();
});

const deps = () => ({ db: env.db, secretBox: env.secretBox, runner });
const clusterRow = (id: number) => env.db.$client.prepare('select id, name from clusters where id = ?').get(id);
const runRows = (name: string) => env.db.$client.prepare('select id, cluster_id clusterId, pipeline, status, options from runs where cluster_name = ? order by id').all(name) as Array<{ id: number; clusterId: number | null; pipeline: string; status: string; options: string }>;
const ended = (r: { status: string }) => r.status !== 'queued' && r.status !== 'running';
/** Resolves once `pred` holds, checked at every run change (the status run after a run is queued asynchronously). */
const waitFor = (pred: () => boolean) => new Promise<void>((resolve) => {
  if (pred()) return resolve();
  const off = runner.bus.subscribe({ changed: () => { if (pred()) { off(); resolve(); } } });
});
/** the run and the status run queued after it have ended */
const afterStatus = (name: string, runId: number) => waitFor(() => {
  const rows = runRows(name);
  return rows.some((r) => r.id === runId && ended(r)) && rows.some((r) => r.id > runId && r.pipeline === 'status' && ended(r));
});
const auditOf = (name: string) => (env.db.$client.prepare('select action, actor, detail from audit_log where target = ? order by id').all(name) as Array<{ action: string; actor: string; detail: string }>)
  .map((r) => ({ action: r.action, actor: r.actor, detail: JSON.parse(r.detail ?? '{}') as Record<string, unknown> }));

test('the name is checked on the server: a wrong name changes nothing and starts no run', async () => {
  const spec = labClusterInput(hosts);
  const { id } = createCluster(env, { spec }, tester);
  for (const confirmName of ['', spec.name.toUpperCase(), `${spec.name} `]) {
    await assert.rejects(deleteCluster(deps(), { clusterId: id, confirmName, resetFirst: true }, tester),
      (e: unknown) => e instanceof ServiceError && e.code === 'BAD_REQUEST' && e.fieldErrors.some((f) => f.path === 'confirmName' && f.message.includes(spec.name)));
  }
  assert.deepEqual(clusterRow(id), { id, name: spec.name });
  assert.deepEqual(runRows(spec.name), []);
});

test('reset first on lab hosts: a failed reset keeps the cluster and says why; a retry of it never deletes; a successful one deletes, its runs keep the name', async () => {
  // one lab host and one that refuses: the reset fails on the second
  const good = labClusterInput(hosts);
  const bad: ClusterSpecInput = { ...good, hosts: [...good.hosts, { ...good.hosts[1]!, name: 'refuses', address: '127.0.0.1', port: closedPort, roles: ['worker'] }] };
  const { id } = createCluster(env, { spec: bad }, tester);
  const first = await deleteCluster(deps(), { clusterId: id, confirmName: bad.name, resetFirst: true }, tester);
  assert.equal(first.deleted, false);
  const failedRun = (first as { runId: number }).runId;
  await afterStatus(bad.name, failedRun);
  assert.deepEqual(clusterRow(id), { id, name: bad.name }, 'the cluster is kept');
  const afterFail = runRows(bad.name);
  assert.deepEqual(afterFail.map((r) => [r.pipeline, r.status, r.clusterId]), [['resetCluster', 'failed', id], ['status', 'failed', id]]);
  assert.deepEqual(JSON.parse(afterFail[0]!.options), { thenDelete: true });
  const kept = auditOf(bad.name).find((a) => a.action === 'cluster.delete_kept');
  assert.deepEqual(kept, { action: 'cluster.delete_kept', actor: 'tester', detail: { clusterId: id, resetRunId: failedRun, reason: 'the reset ended failed' } });

  // a retry resets again but was never asked to delete
  const again = await retry(deps(), failedRun, 'tester');
  const retried = runRows(bad.name).find((r) => r.id === again.runId)!;
  assert.deepEqual(JSON.parse(retried.options), { repeat: 'retry' });
  await afterStatus(bad.name, again.runId);
  assert.ok(clusterRow(id));
  assert.equal(auditOf(bad.name).filter((a) => a.action === 'cluster.delete_kept').length, 1);

  // the same cluster without the refusing host: reset succeeds, then the cluster is gone
  const { version } = env.db.$client.prepare('select version from clusters where id = ?').get(id) as { version: number };
  const { updateCluster } = await import('./update-cluster');
  updateCluster(env, { clusterId: id, expectedVersion: version, spec: good }, tester);
  const second = await deleteCluster(deps(), { clusterId: id, confirmName: bad.name, resetFirst: true }, tester);
  const resetRun = (second as { runId: number }).runId;
  await runner.whenEnded(resetRun);
  assert.equal(clusterRow(id), undefined, 'deleted after the reset succeeded');
  const rows = runRows(bad.name);
  assert.deepEqual(rows.at(-1)!.status, 'succeeded');
  assert.ok(rows.every((r) => r.clusterId === null), 'the runs stay, without their cluster');
  assert.ok(!rows.some((r) => r.id > resetRun), 'no status run was queued for the deleted cluster');
  const actions = auditOf(bad.name).map((a) => a.action);
  assert.deepEqual(actions.slice(-2), ['cluster.delete_requested', 'cluster.deleted']);
  assert.equal(auditOf(bad.name).at(-1)!.detail.afterResetRun, resetRun);
  // the history finds them by the name they kept
  assert.ok(deletedClusterNames(env).includes(bad.name));
  assert.deepEqual(listRuns(env, { deletedCluster: bad.name, limit: 50 }).items.map((r) => r.id), rows.map((r) => r.id).reverse());
  assert.deepEqual(listRuns(env, { deletedCluster: 'no-such-cluster', limit: 50 }).items, []);
});
