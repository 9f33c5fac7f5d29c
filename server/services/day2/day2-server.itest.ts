import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { labControl, labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { startServer, tempDataDir, type ServerProcess } from '../../../e2e/support/server-process';
import { loginCookie, trpcMutation } from '../../../e2e/support/http-session';
import { kubexms, writeLabClusterFile } from '../../cli/testing/cli-process';
import { dbFile, openDb } from '../../db/client';
import { KUBECONFIG_SECRET_PATH } from '../clusters/kubeconfig';
import { openSecretBox } from '../../secrets/open-secret-box';
import { putSecret } from '../../secrets/store';

let hosts: LabHost[];
let dir: string;
let dataDir: string;
let file: string;
let server: ServerProcess | null = null;
const NAME = 'day2-itest';

before(async () => {
  hosts = await labHosts(3);
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
