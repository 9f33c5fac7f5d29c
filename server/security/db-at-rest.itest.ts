import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { after, before, test } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { K8S_PATHS } from '../catalog/kubernetes/render';
import { KUBECONFIG_SECRET_PATH } from '../services/clusters/kubeconfig';
import { testDir } from '../runner/testing/pipelines';
import { REDACTED } from '../secrets/redact';
import { getSecret } from '../secrets/store';
import { createCluster } from '../services/clusters/create-cluster';
import { dbBytes, tester } from '../services/testing/test-env';
import { updateCluster } from '../services/clusters/update-cluster';
import { backupPaths, restorePaths } from './testing/host-files';
import { addHostileLogins, hostileLogins, type HostileLogin } from './testing/hostile-users';
import { freshSecret, freshSecrets, secretClusterSpec, secretLoginsInput } from './testing/secret-cluster';
import { findNeedles, secretNeedles } from './testing/secret-scan';
import { KUBECONFIG_PIPELINE, PRINT_KUBECONFIG_PIPELINE, startSecurityRunner, type SecurityRunner } from './testing/security-runner';
import * as repeat from '../services/runs/repeat-run';

const S = freshSecrets();
const REGISTRY_PW2 = freshSecret('reg2');
const TOKEN = `${randomBytes(3).toString('hex')}.${randomBytes(8).toString('hex')}`;
const CLIENT_KEY = randomBytes(96).toString('base64');
const KUBECONFIG = `apiVersion: v1\nkind: Config\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: ${randomBytes(48).toString('base64')}\n    client-key-data: ${CLIENT_KEY}\n    token: ${TOKEN}\n`;

const KUBE_DIR = posix.dirname(K8S_PATHS.adminConf);

let hosts: LabHost[];
let logins: HostileLogin[];
let sr: SecurityRunner;
let undo: (() => Promise<void>) | undefined;
const name = `atrest-${process.pid}`;

before(async () => {
  hosts = await labHosts(3);
  logins = hostileLogins(secretLoginsInput(S), 'kxd');
  undo = await addHostileLogins(hosts, logins);
  sr = startSecurityRunner();
  const conf = Buffer.from(KUBECONFIG).toString('base64');
  await backupPaths(hosts[0]!.index, [KUBE_DIR], 'kubernetes');
  const res = await labControl.exec(hosts[0]!.index, `mkdir -p ${KUBE_DIR} && echo ${conf} | base64 -d > ${K8S_PATHS.adminConf} && chmod 600 ${K8S_PATHS.adminConf}`);
  assert.equal(res.code, 0, res.stderr);
});

after(async () => {
  await undo?.();
  if (hosts) {
    await restorePaths(hosts[0]!.index, [KUBE_DIR], 'kubernetes');
    for (const h of hosts) await labControl.exec(h.index, `rm -rf ${testDir(name)}`);
  }
  await sr?.close();
});

const spec = (registryPassword: string) => secretClusterSpec(name, hosts, logins, { ...S, registryPassword });

test('after create, runs, a kept kubeconfig, a retry and a changed secret, no SQLite file (main, WAL, shm) holds a secret in plaintext, base64 or quoted', async (t) => {
  const needles = secretNeedles({
    'ssh password': S.sshPassword, 'sudo password': S.sudoPassword, passphrase: S.passphrase, 'private key': logins[1]!.privateKey,
    'registry password': S.registryPassword, 'new registry password': REGISTRY_PW2, 'kubeconfig client key': CLIENT_KEY, 'kubeconfig token': TOKEN,
  });
  const { id, version } = createCluster(sr.env, { spec: spec(S.registryPassword) }, tester);
  const sqlite = sr.env.db.$client;
  const run = async (pipeline: string) => sr.ended((await sr.runner.start({ clusterId: id, pipeline })).runId);
  assert.equal((await run('preflightOnly')).status, 'succeeded');
  assert.equal((await run(KUBECONFIG_PIPELINE)).status, 'succeeded');
  assert.equal(getSecret(sr.env.db, sr.env.secretBox, id, KUBECONFIG_SECRET_PATH), KUBECONFIG, 'the runner kept the fetched kubeconfig');
  const printed = await run(PRINT_KUBECONFIG_PIPELINE);
  assert.equal(printed.status, 'succeeded');
  const kubeLines = (sqlite.prepare('select text from run_logs where run_id = ?').all(printed.id) as { text: string }[]).map((r) => r.text).join('\n');
  assert.ok(kubeLines.includes('client-certificate-data: '), 'the printed kubeconfig reached the log');
  for (const key of ['client-key-data', 'token']) assert.ok(kubeLines.includes(`${key}: ${REDACTED}`), `the kubeconfig's ${key} is redacted in the log`);
  const echo = await run('test:echo-sudo');
  assert.equal(echo.status, 'failed');
  const retry = await sr.ended((await repeat.retry({ db: sr.env.db, runner: sr.runner }, echo.id)).runId);
  assert.equal(retry.parentRunId, echo.id);
  assert.equal(retry.status, 'failed');
  updateCluster(sr.env, { clusterId: id, expectedVersion: version, spec: spec(REGISTRY_PW2) }, tester);

  const redacted = (sqlite.prepare(`select count(*) n from run_logs where text like '%' || ? || '%'`).get(REDACTED) as { n: number }).n;
  assert.ok(redacted >= 10, `${redacted} redacted log lines`);
  assert.ok((sqlite.prepare('select count(*) n from credentials where cluster_id = ?').get(id) as { n: number }).n >= 7);
  const live = dbBytes(sr.env.file);
  t.diagnostic(`searched ${live.length} bytes of kubexms.db + -wal + -shm`);
  assert.ok(live.includes(Buffer.from(name)), 'the search sees plaintext rows');
  assert.deepEqual(findNeedles(live, needles), [], 'the DB files hold a secret');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  assert.deepEqual(findNeedles(dbBytes(sr.env.file), needles), [], 'after a checkpoint, the DB file holds a secret');
});
