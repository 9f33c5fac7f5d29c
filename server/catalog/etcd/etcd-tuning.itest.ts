import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import type { ClusterSpecDraft } from '../../contracts/cluster-spec';
import { labSpec, type LabSpecOptions } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import { etcdModule, etcdResetTasks } from './tasks';

// KubeKey's etcd tuning fields must reach the running etcd: read its command line from /proc, as root and non-root.
let hosts: LabHost[];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let dataDir: string;

const DATA = '/srv/kx-etcd-data';
const tuning = {
  version: 'v3.4.23', dataDir: DATA, heartbeatInterval: 200, electionTimeout: 2000, snapshotCount: 20000, autoCompactionRetention: 2,
  metrics: 'extensive', quotaBackendBytes: 4294967296, maxRequestBytes: 2097152, maxSnapshots: 4, maxWals: 3, logLevel: 'warn',
} as const;
const specFor = (user: LabSpecOptions['user'], etcd: Partial<NonNullable<ClusterSpecDraft['etcd']>> = {}) =>
  labSpec(hosts, { user, overrides: { etcd: { ...tuning, ...etcd }, artifacts: { mirror: mirror.url } } });
const run = (spec: ReturnType<typeof specFor>, reset = false) =>
  runWithContext({
    pipeline: { name: reset ? 'reset' : 'etcd', modules: [reset ? { name: 'reset', tasks: etcdResetTasks(spec) } : etcdModule(spec)] },
    spec, context: { dataDir }, connectorFor: labConnectorFactory(),
  });
const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stderr}`);
  return res.stdout;
};
const cmdline = (h: LabHost) => onHost(h, `tr '\\0' ' ' < /proc/$(systemctl show -p MainPID --value etcd.service)/cmdline`);

before(async () => {
  hosts = await labHosts(3);
  mirror = await ensureMirror();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-etcd-tuning-'));
  const clean = await run(specFor('root'), true);
  assert.equal(clean.outcome.status, 'succeeded', clean.outcome.failure?.message);
});

after(async () => {
  await mirror?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('as kxuser (sudo with password): every tuning field is on the running etcd command line, data in dataDir', async () => {
  const r = await run(specFor('kxuser'));
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) {
    const line = await cmdline(h);
    for (const f of [`--data-dir=${DATA}`, '--heartbeat-interval=200', '--election-timeout=2000', '--snapshot-count=20000', '--auto-compaction-retention=2',
      '--metrics=extensive', '--quota-backend-bytes=4294967296', '--max-request-bytes=2097152', '--max-snapshots=4', '--max-wals=3', '--log-level=warn']) {
      assert.ok(line.includes(` ${f} `) || line.endsWith(` ${f}`) || line.includes(` ${f}`), `${h.name}: ${f} not in ${line}`);
    }
    await onHost(h, `test -d ${DATA}/member/wal && ! test -e /var/lib/etcd/member`);
  }
});

test('as kxnopw (passwordless sudo): a changed field restarts etcd with the new flag', async () => {
  const r = await run(specFor('kxnopw', { snapshotCount: 30000 }));
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) assert.match(await cmdline(h), / --snapshot-count=30000/);
});

test('as root: reset stops etcd and removes the configured data directory', async () => {
  const r = await run(specFor('root'), true);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) await onHost(h, `! test -e ${DATA} && ! systemctl is-active --quiet etcd.service`);
});
