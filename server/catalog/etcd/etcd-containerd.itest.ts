import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { sh } from '../../connectors/shell-quote';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import type { KxPipeline } from '../common';
import { containerdModule, containerdResetTasks } from '../containerd/tasks';
import { renderRegistryHosts } from '../containerd/render';
import { runWithContext } from '../testing/lab-run';
import { verifyArtifacts } from '../common/host-artifacts';
import { clientUrl, etcdctlArgs } from './render';
import { etcdArtifacts, etcdModule, etcdResetTasks, etcdTasks } from './tasks';
import { kubernetesModule, kubernetesResetTasks } from '../kubernetes/tasks';

let hosts: LabHost[];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let dataDir: string;
let spec: ClusterSpec;

const TOUCHED = ['/etc/kubernetes', '/var/lib/kubelet', '/etc/cni', '/usr/local/bin', '/usr/local/sbin', '/opt', '/etc/containerd', '/etc/ssl', '/etc/systemd/system', '/var/lib/etcd', '/var/lib/containerd', '/run/containerd', '/etc/crictl.yaml'];
const fileList = async (h: LabHost) => {
  const res = await labControl.exec(h.index, `find ${TOUCHED.join(' ')} 2>/dev/null | LC_ALL=C sort; sha256sum /etc/hosts; true`);
  return res.stdout;
};
const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stderr}`);
  return res.stdout;
};
const run = (pipeline: KxPipeline, s = spec) => runWithContext({ pipeline, spec: s, context: { dataDir }, connectorFor: labConnectorFactory() });
const install = () => run({ name: 'install', modules: [etcdModule(spec), containerdModule(spec)] });
const reset = () => run({ name: 'reset', modules: [{ name: 'reset', tasks: [...kubernetesResetTasks(spec), ...containerdResetTasks(spec), ...etcdResetTasks(spec)] }] });
const ms = (t0: number) => `${Math.round(performance.now() - t0)} ms`;
const before_: Record<string, string> = {};

before(async () => {
  hosts = await labHosts(3);
  mirror = await ensureMirror();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-catalog-'));
  spec = labSpec(hosts, {
    overrides: {
      etcd: { type: 'kubexms', version: 'v3.4.23' },
      containerd: { version: 'v1.6.20' },
      artifacts: { mirror: mirror.url },
      registry: { mirrors: ['https://mirror.example.test'], insecureRegistries: ['reg.lab.test:5000'] },
    },
  });
  const cleanup = await reset();
  assert.equal(cleanup.outcome.status, 'succeeded', cleanup.outcome.failure?.message);
  for (const h of hosts) before_[h.name] = await fileList(h);
});

after(async () => {
  await mirror?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('etcd (3 members, TLS) and containerd come up from the mirror', async () => {
  const t0 = performance.now();
  const r = await install();
  console.log(`# install etcd+containerd on 3 hosts: ${ms(t0)}`);
  const span = (steps: string[]) => {
    const cells = r.cells.filter((c) => steps.includes(c.step));
    return `${Math.max(...cells.map((c) => c.endedAt ?? 0)) - Math.min(...cells.map((c) => c.startedAt ?? Infinity))} ms`;
  };
  console.log(`# etcd start → all members healthy: ${span(['Enable and start etcd', 'Check etcd health'])}`);
  console.log(`# etcd module: ${span(['Install etcd binaries', 'Check etcd health'])}; containerd module: ${span(['Install containerd, runc and CNI plugins', 'Check containerd answers (ctr version)'])}`);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  const [a, , c] = hosts as [LabHost, LabHost, LabHost];
  const eps = spec.hosts.map(clientUrl);
  const members = await onHost(a, sh`${etcdctlArgs(eps)} member list`);
  assert.equal(members.trim().split('\n').length, 3, members);
  for (const h of hosts) assert.match(members, new RegExp(`, started, ${h.name}, https://${h.address.replaceAll('.', '\\.')}:2380`));
  const key = `/kubexms-test/${process.pid}`;
  await onHost(a, sh`${etcdctlArgs([clientUrl(spec.hosts[0]!)])} put ${key} written-on-${a.name}`);
  assert.equal((await onHost(c, sh`${etcdctlArgs([clientUrl(spec.hosts[2]!)])} get --print-value-only ${key}`)).trim(), `written-on-${a.name}`);
  assert.match(await onHost(a, 'stat -c %a /etc/ssl/etcd/ssl/server-key.pem /etc/ssl/etcd/ssl/peer-key.pem /etc/ssl/etcd/ssl/admin-key.pem'), /^600\n600\n600\n$/);
  for (const h of hosts) {
    const ver = await onHost(h, 'ctr version');
    assert.match(ver, /Server:\s*\n\s*Version:\s*\S+/, ver);
    assert.match(await onHost(h, 'cat /etc/containerd/config.toml'), /SystemdCgroup = true/);
    const expected = renderRegistryHosts(spec);
    assert.equal(await onHost(h, 'cat /etc/containerd/certs.d/docker.io/hosts.toml'), expected.find((x) => x.host === 'docker.io')!.content);
    assert.match(await onHost(h, "cat '/etc/containerd/certs.d/reg.lab.test:5000/hosts.toml'"), /\[host\."http:\/\/reg\.lab\.test:5000"\]\n {2}capabilities = \["pull", "resolve", "push"\]\n {2}skip_verify = true/);
    assert.equal((await onHost(h, 'systemctl is-enabled containerd etcd')).trim(), 'enabled\nenabled');
  }
});

test('containerd and systemd accept what was rendered: config dump, systemd-analyze verify', async () => {
  for (const h of hosts) {
    const dump = await labControl.exec(h.index, 'containerd --config /etc/containerd/config.toml config dump');
    assert.equal(dump.code, 0, `${h.name}: containerd config dump: ${dump.stderr}`);
    assert.match(dump.stdout, /SystemdCgroup = true/);
    assert.match(dump.stdout, /config_path = "\/etc\/containerd\/certs.d"/);
    const verify = await labControl.exec(h.index, 'systemd-analyze verify /etc/systemd/system/containerd.service /etc/systemd/system/etcd.service 2>&1');
    assert.equal(verify.code, 0, `${h.name}: ${verify.stdout}`);
    assert.equal(verify.stdout.trim(), '', `${h.name}: systemd-analyze verify warns`);
  }
});

test('a second run skips every etcd and containerd step', async () => {
  const t0 = performance.now();
  const r = await install();
  console.log(`# rerun (all skipped): ${ms(t0)}`);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  assert.equal(r.cells.length, 3 * 6 + 3 * 4);
  const notSkipped = r.cells.filter((c) => c.status !== 'skipped').map((c) => `${c.step}@${c.host}=${c.status}`);
  assert.deepEqual(notSkipped, []);
});

test('a member stopped by hand fails the health step, naming the member', async () => {
  const stopped = hosts[2]!;
  await onHost(stopped, 'systemctl stop etcd');
  try {
    const health = etcdTasks(spec, { healthTimeoutMs: 2000 }).filter((t) => t.name === 'Check etcd cluster health');
    const r = await run({ name: 'health', modules: [{ name: 'etcd', tasks: health }] });
    assert.equal(r.outcome.status, 'failed');
    const failed = r.cells.filter((c) => c.status === 'failed');
    assert.deepEqual(failed.map((c) => c.host), [stopped.name]);
    assert.match(failed[0]!.failure!.message, new RegExp(`etcd member ${stopped.name} \\(https://${stopped.address.replaceAll('.', '\\.')}:2379\\) is not healthy \\(etcd.service inactive\\)`));
    assert.match(r.outcome.failure!.message, new RegExp(`Check etcd health failed on ${stopped.name}`));
  } finally {
    await onHost(stopped, 'systemctl start etcd');
  }
});

test('an unknown etcd version is refused before any host is touched', async () => {
  const bad = { ...spec, etcd: { ...spec.etcd, version: 'v3.9.9' } } as ClusterSpec;
  await assert.rejects(verifyArtifacts(bad, etcdArtifacts(bad)), /etcd v3\.9\.9 \(amd64\) has no known sha256 and the mirror's .*SHA256SUMS does not list etcd\/v3\.9\.9\/amd64/);
  const offline = { ...bad, artifacts: {} } as ClusterSpec;
  assert.throws(() => etcdModule(offline), /etcd v3\.9\.9 \(amd64\) has no known sha256/);
});

test('kubernetes runs up to the binaries, then fails naming kubeadm and its version', async () => {
  const r = await run({ name: 'kubernetes', modules: [kubernetesModule(spec)] });
  assert.equal(r.outcome.status, 'failed');
  assert.match(r.outcome.failure!.message, /Install kubeadm, kubelet and kubectl failed on n\d+: kubeadm v1\.31\.4 \(amd64\): .*kubeadm\/v1\.31\.4\/amd64\/kubeadm answered 404/);
  const status = (step: string, host: string) => r.cells.find((c) => c.step === step && c.host === host)?.status;
  const [cp] = hosts as [LabHost];
  assert.equal(status('Distribute the API server etcd client certificate', cp.name), 'succeeded');
  for (const h of hosts) {
    assert.equal(status('Resolve the control-plane endpoint in /etc/hosts', h.name), 'succeeded');
    assert.equal(status('Configure and enable kubelet', h.name), 'succeeded');
    assert.match(await onHost(h, 'cat /etc/hosts'), new RegExp(`# BEGIN kubexms control-plane endpoint\n${cp.address.replaceAll('.', '\\.')} lb\\.kubexms\\.local\n# END`));
  }
  assert.match(await onHost(cp, 'stat -c %a /etc/ssl/etcd/ssl/apiserver-etcd-client-key.pem'), /^600\n$/);
  // kubelet's binary cannot be had here: systemd-analyze may name only that, nothing else in the unit or drop-in
  const verify = await labControl.exec(cp.index, 'systemd-analyze verify /etc/systemd/system/kubelet.service 2>&1');
  const complaints = verify.stdout.trim().split('\n').filter((l) => l && !/Command \/usr\/local\/bin\/kubelet is not executable/.test(l));
  assert.deepEqual(complaints, [], verify.stdout);
  assert.equal(status('kubeadm init (first control plane)', cp.name), 'cancelled');
});

test('reset leaves the hosts as before the install', async () => {
  const t0 = performance.now();
  const r = await reset();
  console.log(`# reset: ${ms(t0)}`);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) {
    const now = (await fileList(h)).split('\n');
    const was = before_[h.name]!.split('\n');
    assert.deepEqual({ added: now.filter((f) => !was.includes(f)), removed: was.filter((f) => !now.includes(f)) }, { added: [], removed: [] }, h.name);
    assert.equal((await labControl.exec(h.index, 'systemctl is-active etcd containerd')).stdout.trim(), 'inactive\ninactive');
  }
});
