import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { CONTAINERD_PATHS, renderContainerdConfig } from '../catalog/containerd/render';
import { ProbeInput } from '../contracts/cluster-api';
import { readCells } from '../db/runs';
import { createCluster } from '../services/clusters/create-cluster';
import { loadClusterForRun } from '../services/clusters/load-for-run';
import { rowCounts, tester } from '../services/testing/test-env';
import { ServiceError } from '../errors';
import { probeHost } from '../services/hosts/probe-host';
import { importKubeKey } from '../services/clusters/kubekey';
import { hostileSpecCases, MARKER } from '../spec/fixtures/hostile/cases';
import { backupPaths, restorePaths } from './testing/host-files';
import { carriedCorpus, coveredSlots, hostileRounds, slotOf } from './testing/hostile-plan';
import { inPool } from './testing/util';
import { addHostileLogins, hostileLogins, type HostileLogin } from './testing/hostile-users';
import { CONFIG_PATHS, CONFIG_PIPELINE, HOSTILE_PIPELINE, rootSsh, startSecurityRunner, type SecurityRunner } from './testing/security-runner';

let hosts: LabHost[];
let sr: SecurityRunner;
let logins: HostileLogin[];
let undoLogins: (() => Promise<void>) | undefined;

const onHosts = (cmd: string) => Promise.all(hosts.map(async (h) => (await labControl.exec(h.index, cmd)).stdout));
const hostNow = async () => Number((await labControl.exec(hosts[0]!.index, 'date +%s')).stdout.trim());
const markers = async () => [...(await onHosts(`ls ${MARKER} 2>/dev/null || true`)).map((s) => s.trim()), existsSync(MARKER) ? `local ${MARKER}` : ''].filter(Boolean);

before(async () => {
  hosts = await labHosts(3);
  sr = startSecurityRunner();
  logins = hostileLogins(carriedCorpus().values);
  rmSync(MARKER, { force: true });
  await onHosts(`rm -f ${MARKER}`);
  await Promise.all(hosts.map((h) => backupPaths(h.index, CONFIG_PATHS, 'containerd')));
  undoLogins = await addHostileLogins(hosts, logins);
});

after(async () => {
  await undoLogins?.();
  if (hosts) await Promise.all(hosts.map((h) => restorePaths(h.index, CONFIG_PATHS, 'containerd')));
  await sr?.close();
});

const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
const tomlString = (config: string, key: string) => {
  const line = config.split('\n').find((l) => l.startsWith(`  ${key} = `));
  return line === undefined ? undefined : (JSON.parse(line.slice(key.length + 5)) as string);
};

test('carried hostile credentials reach real SSH logins, sudo and config files as data: every run succeeds, nothing in them runs', async () => {
  const { cases } = carriedCorpus();
  assert.ok(cases.length >= 50 && logins.length >= 10, `${cases.length} carried cases, ${logins.length} values`);
  const rounds = hostileRounds(hosts, logins, `${process.pid}`);
  const covered = coveredSlots(rounds, logins);
  for (const c of cases) assert.ok(covered.has(`${slotOf(c)}\u0000${c.value as string}`), `${c.id} is not exercised on a host`);
  const since = await hostNow();

  // the wizard's "test connection" logs in with each value (password, and key + passphrase) before any cluster exists
  const probe = async (h: LabHost, l: HostileLogin, mode: 'password' | 'key') => {
    const auth = mode === 'password' ? { type: 'password', password: l.password } : { type: 'key', privateKey: l.privateKey, passphrase: l.passphrase };
    const input = ProbeInput.parse({ form: { name: h.name, address: h.address, port: h.port, user: l.user, auth, hostKeyFingerprint: h.hostKeyFingerprint } });
    const res = await probeHost(sr.env, input);
    assert.ok(res.ok && res.facts?.hostname === h.name, `probe ${l.user} (${mode}) on ${h.name}: ${JSON.stringify(res)}`);
  };
  await Promise.all(hosts.map((h, i) => inPool(logins.filter((_, k) => k % hosts.length === i).flatMap((l) => [() => probe(h, l, 'password'), () => probe(h, l, 'key')]), 3)));

  for (const round of rounds) {
    const { id } = createCluster(sr.env, { spec: round.spec }, tester);
    const loaded = (await loadClusterForRun(sr.env, id)).spec;
    for (const [i, p] of round.placements.entries()) {
      const h = loaded.hosts[i]!;
      assert.equal(h.sudoPassword, p.login.password);
      assert.equal(p.mode === 'password' ? get(h, 'auth.password') : get(h, 'auth.passphrase'), p.mode === 'password' ? p.login.password : p.login.passphrase);
    }
    const { runId } = await sr.runner.start({ clusterId: id, pipeline: round.full ? HOSTILE_PIPELINE : CONFIG_PIPELINE });
    const row = await sr.ended(runId);
    const bad = readCells(sr.env.db, runId).filter((c) => c.status !== 'succeeded');
    assert.equal(row.status, 'succeeded', `${round.spec.name}: ${row.statusReason ?? ''} ${JSON.stringify(bad.map((c) => [c.host, c.stepId, c.errorMessage]))}`);
    const expected = renderContainerdConfig(loaded);
    for (const h of hosts) {
      const ssh = rootSsh(h);
      try {
        const got = (await ssh.exec(`cat ${CONTAINERD_PATHS.config}`)).stdout;
        assert.equal(got, expected, `config.toml on ${h.name}`);
        assert.equal(tomlString(got, 'username'), round.registry.username);
        assert.equal(tomlString(got, 'password'), round.registry.password);
        assert.equal((await ssh.exec(`stat -c %a ${CONTAINERD_PATHS.config}`)).stdout.trim(), '600', 'the config with the registry password is root-only');
      } finally {
        await ssh.close();
      }
    }
  }
  assert.equal(sr.connects.length, rounds.length * hosts.length);

  assert.deepEqual(await markers(), [], 'a marker file was created');
  assert.deepEqual((await onHosts('ls /tmp/kxms-upload-* 2>/dev/null || true')).map((s) => s.trim()), ['', '', ''], 'upload temp files were left on a host');
  const journal = await onHosts(`journalctl --since @${since} --no-pager -o cat _COMM=sudo | grep 'COMMAND=' || true`);
  for (const [i, text] of journal.entries()) {
    const lines = text.split('\n').filter(Boolean);
    assert.ok(lines.filter((l) => /^\s*kxh\d+ : /.test(l)).length >= rounds.length * 3, `${hosts[i]!.name}: sudo commands of the hostile logins were not logged`);
    for (const l of lines) assert.ok(!l.includes(MARKER) && !l.includes('touch'), `${hosts[i]!.name} ran: ${l.slice(0, 300)}`);
  }
});

test('rejected hostile specs and KubeKey files write nothing to the DB and never reach a host', async () => {
  const sshdLines = () => onHosts(`journalctl -u ssh --no-pager -o cat --since @${since} | wc -l`);
  const since = await hostNow();
  await new Promise((r) => setTimeout(r, 1100));
  const sshdBefore = await sshdLines();
  const runs = () => (sr.env.db.$client.prepare('select count(*) n from runs').get() as { n: number }).n;
  const connectsBefore = sr.connects.length;
  const runsBefore = runs();
  let rejected = 0;
  for (const c of hostileSpecCases().filter((x) => x.expect === 'reject')) {
    const before = rowCounts(sr.env.db);
    assert.throws(
      () => createCluster(sr.env, { spec: c.spec }, tester),
      (e: unknown) => e instanceof ServiceError && e.code === 'BAD_REQUEST' && e.fieldErrors.some((f) => f.path === c.field),
      c.id,
    );
    assert.deepEqual(rowCounts(sr.env.db), before, `${c.id} wrote to the DB`);
    rejected++;
  }
  const dir = new URL('../spec/fixtures/hostile/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    if (!/^# expect: reject/m.test(text)) continue;
    const before = rowCounts(sr.env.db);
    assert.equal(importKubeKey({ text }).ok, false, file);
    assert.deepEqual(rowCounts(sr.env.db), before, `${file} wrote to the DB`);
    rejected++;
  }
  assert.ok(rejected >= 300, `${rejected} rejected cases`);
  assert.equal(runs(), runsBefore);
  assert.equal(sr.connects.length, connectsBefore, 'the runner connected to a host');
  assert.deepEqual(await sshdLines(), sshdBefore, 'sshd on a lab host logged a connection');
  assert.deepEqual(await markers(), []);
});
