import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { ClusterStatus } from '../../contracts/cluster-status';
import { labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import type { KxPipeline } from '../common';
import { containerdModule } from '../containerd/tasks';
import { etcdModule } from '../etcd/tasks';
import { removeNodes, resetCluster, status } from '../pipelines';
import { sh } from '../../connectors/shell-quote';
import { clientUrl, etcdctlArgs } from '../etcd/render';
import { runWithContext } from '../testing/lab-run';
import { collectClusterStatus } from './steps';

let hosts: LabHost[];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let dataDir: string;
let spec: ClusterSpec;
let cleanList = '';

const TOUCHED = ['/etc/kubernetes', '/var/lib/kubelet', '/etc/cni', '/usr/local/bin', '/usr/local/sbin', '/opt', '/etc/containerd', '/etc/ssl', '/etc/systemd/system', '/var/lib/etcd', '/var/lib/containerd', '/run/containerd', '/etc/crictl.yaml', '/etc/modules-load.d', '/etc/sysctl.d'];
const fileList = async (h: LabHost) => (await labControl.exec(h.index, `find ${TOUCHED.join(' ')} 2>/dev/null | LC_ALL=C sort; sha256sum /etc/hosts; true`)).stdout;

const run = (pipeline: KxPipeline, s = spec) => runWithContext({ pipeline, spec: s, context: { dataDir }, connectorFor: labConnectorFactory() });
const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stderr}`);
  return res.stdout;
};

/** The same cluster reached as a non-root user. */
const as = (user: 'kxuser' | 'kxnopw', s = spec) => labSpec(hosts, { user, overrides: { etcd: s.etcd, containerd: s.containerd, artifacts: s.artifacts } });

/** A status run as kxuser (sudo with a password), timed. */
async function readStatus(s = spec): Promise<ClusterStatus & { ms: number }> {
  const asUser = as('kxuser', s);
  const t0 = performance.now();
  const r = await run(status(asUser), asUser);
  const ms = Math.round(performance.now() - t0);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  return { ...collectClusterStatus({ cache: r.cache, spec: asUser }), ms };
}

before(async () => {
  hosts = await labHosts(3);
  mirror = await ensureMirror();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-status-'));
  spec = labSpec(hosts, { overrides: { etcd: { type: 'kubexms', version: 'v3.4.23' }, containerd: { version: 'v1.6.20' }, artifacts: { mirror: mirror.url } } });
  const cleanup = await run(resetCluster(spec));
  assert.equal(cleanup.outcome.status, 'succeeded', cleanup.outcome.failure?.message);
  cleanList = await fileList(hosts[2]!);
});

after(async () => {
  await mirror?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('before install: reachable hosts with OS and kernel, nothing installed', async () => {
  const s = await readStatus();
  console.log(`# status of 3 hosts (nothing installed): ${s.ms} ms`);
  assert.equal(s.verdict, 'not installed');
  for (const h of s.hosts) {
    assert.equal(h.reachable, true);
    assert.match(h.os ?? '', /Debian GNU\/Linux 12/);
    assert.match(h.kernel ?? '', /^\d+\.\d+/);
    assert.ok(h.components.length > 0 && h.components.every((c) => c.installed === null), JSON.stringify(h.components));
    assert.deepEqual(h.certs, []);
  }
  assert.ok(s.differences.includes(`${hosts[0]!.name}: etcd not installed, spec says 3.4.23`), s.differences.join('\n'));
});

test('after installing etcd and containerd: versions, services, one etcd leader, certificates, disks', async () => {
  const r = await run({ name: 'install', modules: [etcdModule(spec), containerdModule(spec)] });
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  const s = await readStatus();
  console.log(`# status of 3 hosts (etcd + containerd running): ${s.ms} ms`);
  // the lab has no kubeadm/kubelet (README, Limits): only they are missing, so the verdict is partial
  assert.equal(s.verdict, 'partially installed');
  const cp = hosts[0]!.name;
  assert.deepEqual(s.differences.sort(), [`${cp}: kubeadm not installed, spec says 1.31.4`, `${cp}: kubelet not installed, spec says 1.31.4`, ...hosts.slice(1).flatMap((h) => [`${h.name}: kubeadm not installed, spec says 1.31.4`, `${h.name}: kubelet not installed, spec says 1.31.4`])].sort());
  const ids = new Set<string>();
  const leaders = new Set<string>();
  for (const h of s.hosts) {
    const by = Object.fromEntries(h.components.map((c) => [c.name, c]));
    assert.match(by.etcd?.installed ?? '', /^3\.4\.23/);
    assert.equal(by.etcd?.service, 'active');
    assert.match(by.containerd?.installed ?? '', /1\.6\.20/);
    assert.equal(by.containerd?.service, 'active');
    assert.ok(h.etcd?.healthy, JSON.stringify(h.etcd));
    assert.ok((h.etcd?.dbSizeBytes ?? 0) > 0);
    ids.add(h.etcd!.memberId!);
    leaders.add(h.etcd!.leaderId!);
    assert.ok(h.certs.some((c) => c.path === '/etc/ssl/etcd/ssl/server.pem' && c.daysLeft > 3600), JSON.stringify(h.certs));
    assert.ok(h.disks.some((d) => d.path === '/var/lib/etcd' && d.freeBytes > 0 && d.sizeBytes >= d.freeBytes), JSON.stringify(h.disks));
  }
  assert.equal(ids.size, 3);
  assert.equal(leaders.size, 1);
  assert.ok(ids.has([...leaders][0]!));
  assert.equal(s.hosts.filter((h) => h.etcd?.isLeader).length, 1);
});

test('a service stopped by hand: degraded facts name the unit and the unhealthy member', async () => {
  const h = hosts[2]!;
  await onHost(h, 'systemctl stop etcd containerd');
  try {
    const s = await readStatus();
    assert.ok(s.differences.includes(`${h.name}: etcd.service is inactive`), s.differences.join('\n'));
    assert.ok(s.differences.includes(`${h.name}: containerd.service is inactive`), s.differences.join('\n'));
    assert.ok(s.differences.some((d) => d.startsWith(`${h.name}: etcd member unhealthy`)), s.differences.join('\n'));
    assert.equal(s.hosts.find((x) => x.name === h.name)?.etcd?.healthy, false);
  } finally {
    await onHost(h, 'systemctl start etcd containerd');
  }
});

test('a version drift: the spec asks for another containerd than the hosts run', async () => {
  const drifted = { ...spec, containerd: { version: 'v1.7.24' } } as ClusterSpec;
  const s = await readStatus(drifted);
  for (const h of hosts) assert.ok(s.differences.includes(`${h.name}: containerd 1.6.20~ds1 installed, spec says 1.7.24`), s.differences.join('\n'));
});

test('remove nodes: 3 → 1 etcd members is refused by the quorum rule before any host is touched', () => {
  assert.throws(() => removeNodes(spec, { nodes: [hosts[1]!.name, hosts[2]!.name] }), /etcd quorum rule: the etcd members left \(1\) must be a majority of the current 3 \(at least 2\)/);
  assert.throws(() => removeNodes(spec, { nodes: [hosts[0]!.name] }), /removing every control-plane host/);
});

test('remove an etcd member (as kxnopw, rerun as kxuser): the two left stay healthy and writable, the removed host is as clean as before install', async () => {
  const [a, b, gone] = hosts as [LabHost, LabHost, LabHost];
  const nopw = as('kxnopw');
  const r = await run(removeNodes(nopw, { nodes: [gone.name] }), nopw);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  const cell = (step: string, host: string) => r.cells.find((c) => c.step === step && c.host === host)?.status;
  assert.equal(cell('Remove the etcd members', a.name), 'succeeded');
  assert.equal(cell('Drain and delete the nodes', a.name), 'skipped', 'no Kubernetes on the lab: nothing to drain');
  assert.equal(cell('Stop etcd and remove its files', gone.name), 'succeeded');
  assert.deepEqual([...new Set(r.cells.map((c) => c.host))].sort(), [a.name, gone.name].sort(), 'the other member is not touched');

  const left = spec.hosts.slice(0, 2);
  const members = await onHost(a, sh`${etcdctlArgs(left.map(clientUrl))} member list`);
  assert.deepEqual(members.trim().split('\n').map((l) => l.split(', ')[2]).sort(), [a.name, b.name].sort());
  assert.match(await onHost(b, `${sh`${etcdctlArgs(left.map(clientUrl))} endpoint health`} 2>&1`), /is healthy[\s\S]*is healthy/);
  const key = `/kubexms-test/after-remove-${process.pid}`;
  await onHost(a, sh`${etcdctlArgs([clientUrl(left[0]!)])} put ${key} still-writable`);
  assert.equal((await onHost(b, sh`${etcdctlArgs([clientUrl(left[1]!)])} get --print-value-only ${key}`)).trim(), 'still-writable');
  assert.equal(await fileList(gone), cleanList, 'no file of kubexms left on the removed host');
  assert.equal((await labControl.exec(gone.index, 'systemctl is-active etcd containerd')).stdout.trim(), 'inactive\ninactive');

  const withPassword = as('kxuser');
  const again = await run(removeNodes(withPassword, { nodes: [gone.name] }), withPassword);
  assert.equal(again.outcome.status, 'succeeded', again.outcome.failure?.message);
  assert.equal(again.cells.find((c) => c.step === 'Remove the etcd members')?.status, 'skipped', 'a rerun finds the member gone');

  const smaller = { ...spec, hosts: left } as ClusterSpec;
  const s = await run(status(smaller), smaller);
  const st = collectClusterStatus({ cache: s.cache, spec: smaller });
  assert.deepEqual(st.hosts.map((h) => h.etcd?.healthy), [true, true]);
  assert.equal(new Set(st.hosts.map((h) => h.etcd?.leaderId)).size, 1);
});
