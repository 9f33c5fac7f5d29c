import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { labControl, labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { startServer, tempDataDir, type ServerProcess } from '../../../e2e/support/server-process';
import { loginCookie, trpcMutation, trpcQuery } from '../../../e2e/support/http-session';
import { kubexms, writeLabClusterFile } from '../../cli/testing/cli-process';
import { dbFile, openDb } from '../../db/client';
import { KUBECONFIG_SECRET_PATH } from '../clusters/kubeconfig';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { mapSecrets } from '../../contracts/spec-secrets';
import { openSecretBox } from '../../secrets/open-secret-box';
import { putSecret } from '../../secrets/store';

let hosts: LabHost[];
let spare: LabHost;
let dir: string;
let dataDir: string;
let file: string;
let server: ServerProcess | null = null;
const NAME = 'day2-itest';

before(async () => {
  const lab = await labHosts(4);
  hosts = lab.slice(0, 3);
  spare = lab[3]!;
  dir = tempDataDir('kubexms-day2-');
  dataDir = path.join(dir, 'data');
  file = path.join(dir, 'cluster.yaml');
  writeLabClusterFile(file, NAME, hosts, labControl.paths().key);
  server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: 'day2-itest-password', KUBEXMS_STATUS_AFTER_RUN: '1' } });
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => new Database(path.join(dataDir, 'kubexms.db'), { readonly: true });

test('a run is followed by a status run; kubexms cluster status reads again and prints the verdict as JSON', async () => {
  const pre = await kubexms(['preflight', '-f', file, '--accept-new-host-keys'], dataDir);
  assert.equal(pre.code, 0, pre.stdout + pre.stderr);
  const r = await kubexms(['cluster', 'status', NAME, '-o', 'json'], dataDir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const status = JSON.parse(r.stdout) as { cluster: string; verdict: string; runId: number; hosts: Array<{ name: string; reachable: boolean; os: string; roles: string[] }> };
  assert.equal(r.code, status.verdict === 'installed' ? 0 : 1);
  assert.equal(status.cluster, NAME);
  assert.deepEqual(status.hosts.map((h) => [h.name, h.reachable]), hosts.map((h) => [h.name, true]));
  assert.ok(status.hosts.every((h) => /Debian/.test(h.os)));
  assert.deepEqual(status.hosts[0]!.roles.sort(), ['control-plane', 'etcd']);
  const d = db();
  try {
    const runs = d.prepare('select id, pipeline, status, created_by from runs order by id').all() as Array<{ id: number; pipeline: string; status: string; created_by: string }>;
    assert.deepEqual(runs.map((x) => [x.pipeline, x.created_by]), [['preflightOnly', 'admin'], ['status', 'kubexms'], ['status', 'admin']]);
    assert.equal(runs[2]!.id, status.runId);
    const kept = d.prepare('select run_id from cluster_status').all() as Array<{ run_id: number }>;
    assert.deepEqual(kept, [{ run_id: status.runId }]);
  } finally {
    d.close();
  }
  const text = await kubexms(['cluster', 'status', NAME], dataDir);
  assert.match(text.stdout, new RegExp(`^cluster ${NAME}: (INSTALLED|PARTIALLY INSTALLED|NOT INSTALLED|DEGRADED) \\(read .*, run #\\d+\\)$`, 'm'));
  assert.match(text.stdout, new RegExp(`^${hosts[0]!.name} \\(${hosts[0]!.address}\\) \\[etcd, control-plane\\]: Debian`, 'm'));
});

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: Q0EtREFUQQ==
    server: https://lb.kubexms.local:6443
  name: cluster.local
contexts:
- context: {cluster: cluster.local, user: kubernetes-admin}
  name: kubernetes-admin@cluster.local
current-context: kubernetes-admin@cluster.local
users:
- name: kubernetes-admin
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZLVNFQ1JFVC1kYXkyLWl0ZXN0
`;

const audits = () => {
  const d = db();
  try {
    return d.prepare("select actor, target, detail, address from audit_log where action = 'kubeconfig.downloaded' order by id").all() as Array<{ actor: string; target: string; detail: string; address: string }>;
  } finally {
    d.close();
  }
};

test('kubeconfig: refused without a session, then given with the server rewritten, every download audited', async () => {
  const url = server!.url;
  const clusterId = (JSON.parse((await kubexms(['runs', 'list', '-o', 'json'], dataDir)).stdout.split('\n')[0]!) as { clusterId: number }).clusterId;
  const anonymous = await trpcMutation(url, 'clusters.kubeconfig', { clusterId });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.data, undefined);
  assert.doesNotMatch(JSON.stringify(anonymous.error), /S0VZ/);

  const none = await kubexms(['kubeconfig', NAME], dataDir);
  assert.equal(none.code, 1);
  assert.match(none.stderr, new RegExp(`cluster "${NAME}" has no kubeconfig yet`));
  assert.deepEqual(audits(), []);

  // what createCluster keeps after kubeadm init (the lab cannot run kubeadm: README, Limits)
  const writer = openDb(dbFile(dataDir));
  putSecret(writer, openSecretBox(writer, { dataDir }).box, clusterId, KUBECONFIG_SECRET_PATH, KUBECONFIG);
  writer.$client.close();

  const cli = await kubexms(['kubeconfig', NAME], dataDir);
  assert.equal(cli.code, 0, cli.stderr);
  const cp = hosts[0]!;
  assert.equal(cli.stdout, KUBECONFIG.replace('https://lb.kubexms.local:6443', `https://${cp.address}:6443`));

  const chosen = await kubexms(['kubeconfig', NAME, '--server', 'https://10.9.8.7:6443', '-o', 'json'], dataDir);
  assert.equal(chosen.code, 0, chosen.stderr);
  const res = JSON.parse(chosen.stdout) as { server: string; text: string; filename: string };
  assert.deepEqual([res.server, res.filename], ['https://10.9.8.7:6443', `${NAME}.kubeconfig`]);
  assert.match(res.text, /^ {4}server: https:\/\/10\.9\.8\.7:6443$/m);
  const bad = await kubexms(['kubeconfig', NAME, '--server', 'http://10.9.8.7:6443'], dataDir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--server: must be an https:\/\/ URL/);

  const cookie = await loginCookie(url, 'day2-itest-password');
  const web = await trpcMutation<{ text: string }>(url, 'clusters.kubeconfig', { clusterId }, { cookie });
  assert.equal(web.status, 200, JSON.stringify(web.error));
  assert.match(web.data!.text, /client-key-data: S0VZLVNFQ1JFVC1kYXkyLWl0ZXN0/);

  const rows = audits();
  assert.equal(rows.length, 3, 'refused and failed downloads are not audited as downloads');
  assert.deepEqual(rows.map((r) => [r.actor, r.target, (JSON.parse(r.detail) as { server: string }).server]), [
    ['admin', NAME, `https://${cp.address}:6443`],
    ['admin', NAME, 'https://10.9.8.7:6443'],
    ['admin', NAME, `https://${cp.address}:6443`],
  ]);
  assert.ok(rows.every((r) => !r.detail.includes('S0VZ')), 'no credential in the audit log');
});

type Refusal = { message: string; data?: { fieldErrors?: Array<{ path: string; message: string }> } };
const fieldsOf = (error: unknown) => ((error as Refusal | undefined)?.data?.fieldErrors ?? []).map((f) => f.path);
const count = (sql: string) => {
  const d = db();
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

test('the server checks the typed name of removeNodes and the new hosts of addNodes: a refusal names the field and changes nothing', async () => {
  const url = server!.url;
  const cookie = await loginCookie(url, 'day2-itest-password');
  const { clusterId } = JSON.parse((await kubexms(['runs', 'list', '-o', 'json'], dataDir)).stdout.split('\n')[0]!) as { clusterId: number };
  const cluster = async () => (await trpcQuery<{ version: number; hosts: Array<{ name: string }> }>(url, 'clusters.get', { cookie, input: { clusterId } })).data!;
  const before = await cluster();
  const runsBefore = count('select count(*) n from runs');
  const auditsBefore = count('select count(*) n from audit_log');
  const unchanged = async () => {
    const now = await cluster();
    assert.deepEqual([now.version, now.hosts.map((h) => h.name)], [before.version, before.hosts.map((h) => h.name)]);
    assert.equal(count('select count(*) n from runs'), runsBefore);
    assert.equal(count('select count(*) n from audit_log'), auditsBefore);
  };

  const victim = hosts[2]!.name;
  for (const confirmName of ['not-the-name', NAME.toUpperCase(), undefined]) {
    const r = await trpcMutation(url, 'runs.start', { clusterId, pipeline: 'removeNodes', nodes: [victim], ...(confirmName === undefined ? {} : { confirmName }) }, { cookie });
    assert.equal(r.status, 400, JSON.stringify(r.error));
    assert.deepEqual(fieldsOf(r.error), ['confirmName']);
    assert.match(r.error!.message, new RegExp(`type the cluster's name "${NAME}" to confirm removeNodes`));
  }
  await unchanged();

  const newHost = (over: Record<string, unknown> = {}) => ({
    name: spare.name, address: spare.address, port: spare.port, user: 'kxuser',
    auth: { type: 'password', password: spare.users.kxuser.password }, sudoPassword: spare.users.kxuser.password, roles: ['worker'], ...over,
  });
  const add = (hostsIn: unknown[], expectedVersion = before.version) => trpcMutation(url, 'clusters.addNodes', { clusterId, expectedVersion, hosts: hostsIn }, { cookie });
  const unpinned = await add([newHost()]);
  assert.equal(unpinned.status, 400);
  assert.deepEqual(fieldsOf(unpinned.error), ['hosts.0.hostKeyFingerprint']);
  assert.match(unpinned.error!.message, /1 new host key is not accepted yet; nothing was saved/);
  const pinned = { hostKeyFingerprint: spare.hostKeyFingerprint };
  const clash = await add([newHost({ ...pinned, name: hosts[0]!.name }), newHost({ ...pinned, name: 'Bad_Name', address: '' })]);
  assert.equal(clash.status, 400);
  const errs = (clash.error as Refusal).data!.fieldErrors!;
  assert.ok(errs.some((e) => e.path === 'hosts.0.name' && e.message.includes(`existing host ${hosts[0]!.name}`)), JSON.stringify(errs));
  assert.ok(errs.some((e) => e.path === 'hosts.1.name'), JSON.stringify(errs));
  assert.ok(errs.some((e) => e.path === 'hosts.1.address'), JSON.stringify(errs));
  assert.ok(errs.every((e) => e.path.startsWith('hosts.')), JSON.stringify(errs));
  const stale = await add([newHost(pinned)], before.version + 1);
  assert.equal(stale.status, 409);
  const viewerless = await trpcMutation(url, 'clusters.addNodes', { clusterId, expectedVersion: before.version, hosts: [newHost(pinned)] });
  assert.equal(viewerless.status, 401);
  await unchanged();
});

test('add nodes: when the run is refused before it starts, the new host is taken out of the spec again with its secrets', async () => {
  const url = server!.url;
  const cookie = await loginCookie(url, 'day2-itest-password');
  const { clusterId } = JSON.parse((await kubexms(['runs', 'list', '-o', 'json'], dataDir)).stdout.split('\n')[0]!) as { clusterId: number };
  const get = async () => (await trpcQuery<{ version: number; spec: ClusterSpecPublic }>(url, 'clusters.get', { cookie, input: { clusterId } })).data!;
  const c = await get();
  // an artifact mirror that does not answer: addNodes is refused while its artifacts are resolved, before any host is touched
  const spec = { ...(mapSecrets(c.spec, () => undefined) as object), artifacts: { mirror: 'http://127.0.0.1:9/' } };
  const upd = await trpcMutation<{ version: number }>(url, 'clusters.update', { clusterId, expectedVersion: c.version, spec }, { cookie });
  assert.equal(upd.status, 200, JSON.stringify(upd.error));
  const runsBefore = count('select count(*) n from runs');
  const host = { name: spare.name, address: spare.address, port: spare.port, user: 'kxuser', auth: { type: 'password', password: 'pw-Zk4-never-kept' }, roles: ['worker'], hostKeyFingerprint: spare.hostKeyFingerprint };
  const r = await trpcMutation(url, 'clusters.addNodes', { clusterId, expectedVersion: upd.data!.version, hosts: [host] }, { cookie });
  assert.equal(r.status, 400, JSON.stringify(r.error));
  assert.match(r.error!.message, /127\.0\.0\.1:9/);
  const after = await get();
  assert.deepEqual(after.spec.hosts.map((h) => h.name), c.spec.hosts.map((h) => h.name));
  assert.equal(after.version, upd.data!.version + 2, 'saved, then taken out again');
  assert.equal(count('select count(*) n from runs'), runsBefore);
  assert.equal(count(`select count(*) n from credentials where path like 'hosts.${spare.name}.%'`), 0);
  const d = db();
  try {
    const actions = d.prepare("select action, actor from audit_log order by id desc limit 2").all() as Array<{ action: string; actor: string }>;
    assert.deepEqual(actions, [{ action: 'cluster.updated', actor: 'admin' }, { action: 'cluster.updated', actor: 'admin' }]);
  } finally {
    d.close();
  }
});
