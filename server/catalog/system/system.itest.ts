import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import type { ClusterSpecDraft } from '../../contracts/cluster-spec';
import { kernelModule } from '../kernel/tasks';
import { createCluster } from '../pipelines';
import { preflightModule } from '../preflight/tasks';
import { MODULES_LOAD_FILE } from '../kernel/config';
import { labSpec, type LabSpecOptions } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { renderChronyConf } from './render';
import { postInstallTasks } from './tasks';

// KubeKey's spec.system and proxyMode on real hosts: hook scripts with their materials, time zone, ipvs modules and tools.
let hosts: LabHost[];
let dataDir: string;
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
const PURGE_CHRONY = 'systemctl stop chrony 2>/dev/null; dpkg --purge chrony >/dev/null 2>&1; rm -rf /etc/chrony; true';

const MARK = '#!/bin/sh\nset -e\nmkdir -p /var/lib/kx-hook\necho "$1 as $(id -un) in $(pwd)" > /var/lib/kx-hook/pre\n';
const specFor = (user: LabSpecOptions['user'], overrides: Partial<Omit<ClusterSpecDraft, 'hosts'>>) => labSpec(hosts, { user, overrides });
const kubekeySystem = (timezone: string) => ({
  timezone,
  preInstall: [{ name: 'mark the host', bash: 'sh mark.sh pre', materials: [{ name: 'mark.sh', content: MARK }] }],
  postInstall: [{ name: 'leave a note', bash: 'echo "post $(date +%Z)" > /var/lib/kx-hook/post' }],
});
const run = (spec: ReturnType<typeof specFor>, post = false) =>
  runWithContext({
    pipeline: { name: 'system', modules: post ? [{ name: 'post', tasks: postInstallTasks(spec) }] : [kernelModule(spec)] },
    spec, context: { dataDir }, connectorFor: labConnectorFactory(),
  });
const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stderr}`);
  return res.stdout;
};

before(async () => {
  hosts = await labHosts(3);
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-system-'));
  mirror = await ensureMirror();
  for (const h of hosts) await onHost(h, `rm -rf /var/lib/kx-hook /var/lib/kubexms/hooks; ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime; ${PURGE_CHRONY}`);
});

after(async () => {
  for (const h of hosts ?? []) await labControl.exec(h.index, `rm -rf /var/lib/kx-hook /var/lib/kubexms/hooks; ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime; ${PURGE_CHRONY}`);
  await mirror?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('as kxuser: preInstall runs with its materials as root, time zone set; ipvs asks the kernel for its modules', async () => {
  const spec = specFor('kxuser', { kubernetes: { version: 'v1.31.4', proxyMode: 'ipvs' }, system: kubekeySystem('Europe/Berlin') });
  const r = await run(spec);
  for (const h of hosts) {
    assert.equal((await onHost(h, 'cat /var/lib/kx-hook/pre')).trim(), 'pre as root in /var/lib/kubexms/hooks/preInstall-0');
    assert.equal((await onHost(h, 'readlink /etc/localtime')).trim(), '/usr/share/zoneinfo/Europe/Berlin');
    assert.match((await onHost(h, 'date +%Z')).trim(), /^CES?T$/);
  }
  // the lab kernel has no IPVS (README, Limits): the module step says so by name and nothing after it runs
  assert.equal(r.outcome.status, 'failed');
  const failed = r.cells.filter((c) => c.status === 'failed');
  assert.deepEqual([...new Set(failed.map((c) => c.step))], ['Load kernel modules']);
  assert.match(failed[0]!.failure?.message ?? '', /cannot load ip_vs, ip_vs_rr, ip_vs_wrr, ip_vs_sh \(modprobe: FATAL: Module ip_vs not found/);
});

test('as kxnopw: postInstall runs after the install, in the new time zone; a hook with a role runs on those hosts only', async () => {
  const system = kubekeySystem('Europe/Berlin');
  const workers = { name: 'workers only', bash: 'hostname > /var/lib/kx-hook/worker', role: 'worker' as const };
  const r = await run(specFor('kxnopw', { kubernetes: { version: 'v1.31.4' }, system: { ...system, postInstall: [...system.postInstall, workers] } }), true);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) assert.match((await onHost(h, 'cat /var/lib/kx-hook/post')).trim(), /^post CES?T$/);
  // labSpec: the first host is the control plane, the others workers
  assert.equal((await labControl.exec(hosts[0]!.index, 'test -e /var/lib/kx-hook/worker')).code, 1, 'not on the control plane');
  for (const h of hosts.slice(1)) assert.equal((await onHost(h, 'cat /var/lib/kx-hook/worker')).trim(), h.name);
  const said = r.events.filter((e) => e.type === 'log' && e.text.startsWith('postInstall hooks run on every run (as in KubeKey): a rerun runs "leave a note"'));
  assert.equal(said.length, hosts.length, 'each host\'s hook cell says that it runs on every run');
});

test('as root: iptables mode drops the ipvs modules again, the time zone follows the spec, a rerun converges', async () => {
  const spec = specFor('root', { kubernetes: { version: 'v1.31.4', proxyMode: 'iptables' }, system: { timezone: 'Asia/Shanghai' } });
  const r = await run(spec);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) {
    assert.doesNotMatch(await onHost(h, `cat ${MODULES_LOAD_FILE}`), /ip_vs/);
    assert.equal((await onHost(h, 'date +%Z')).trim(), 'CST');
  }
  const again = await run(spec);
  assert.equal(again.outcome.status, 'succeeded');
  assert.ok(again.cells.filter((c) => c.step.startsWith('Set time zone')).every((c) => c.status === 'skipped'));
});

for (const user of ['kxuser', 'kxnopw', 'root'] as const) test(`as ${user}: chrony from the mirror, its config as rendered (the first host serves the others), accepted by chronyd -p; a rerun skips`, async () => {
  for (const h of hosts) await onHost(h, PURGE_CHRONY);
  const spec = specFor(user, { kubernetes: { version: 'v1.31.4' }, artifacts: { mirror: mirror.url }, system: { ntpServers: [hosts[0]!.name, 'ntp.example'] } });
  const r = await run(spec);
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) {
    assert.match(await onHost(h, "dpkg-query -W -f='${Status} ${Version}' chrony"), /^install ok installed 4\.3/);
    assert.equal(await onHost(h, 'cat /etc/chrony/chrony.conf'), renderChronyConf(spec, h.name));
    await onHost(h, '/usr/sbin/chronyd -p -f /etc/chrony/chrony.conf >/dev/null');
  }
  assert.match(await onHost(hosts[1]!, 'cat /etc/chrony/chrony.conf'), new RegExp(`^server ${hosts[0]!.address.replaceAll('.', '\\.')} iburst$`, 'm'));
  assert.match(await onHost(hosts[0]!, 'cat /etc/chrony/chrony.conf'), /^local stratum 10$/m);
  const again = await run(spec);
  assert.equal(again.outcome.status, 'succeeded');
  assert.deepEqual(again.cells.filter((c) => /chrony/.test(c.step)).map((c) => c.status), Array(6).fill('skipped'));
});

test('without chrony on the host and no mirror: the step says how to get it', async () => {
  for (const h of hosts) await onHost(h, PURGE_CHRONY);
  const r = await run(specFor('root', { kubernetes: { version: 'v1.31.4' }, system: { ntpServers: ['ntp.example'] } }));
  assert.equal(r.outcome.status, 'failed');
  assert.match(r.outcome.failure?.message ?? r.cells.find((c) => c.status === 'failed')?.failure?.message ?? '', /chrony is not installed on .*system\.debs.*artifacts\.mirror/);
});

test('as kxuser: system.debs offline with only an unreachable source is refused in preflight, before anything is installed; a file: repository passes', async () => {
  for (const h of hosts) await onHost(h, `${PURGE_CHRONY}; rm -f /etc/apt/sources.list.d/kx-local.list`);
  const spec = specFor('kxuser', { kubernetes: { version: 'v1.31.4' }, system: { debs: ['chrony'] } });
  const r = await runWithContext({ pipeline: createCluster(spec, { until: 'kernel' }), spec, context: { dataDir }, connectorFor: labConnectorFactory() });
  assert.equal(r.outcome.status, 'failed');
  const cells = r.cells.filter((c) => c.step === 'Check package sources (system.debs / system.rpms)');
  assert.equal(cells.length, hosts.length);
  for (const c of cells) {
    assert.equal(c.status, 'failed');
    assert.match(c.failure?.message ?? '', /chrony to install, but no package source can be used: http:\/\/deb\.debian\.org\/debian \(deb\.debian\.org: no address\)/);
  }
  const pkgs = r.cells.filter((c) => c.step === 'Install packages (system.debs / system.rpms)');
  assert.ok(pkgs.every((c) => c.status === 'cancelled'), `the packages step never ran: ${pkgs.map((c) => c.status).join(', ')}`);
  for (const h of hosts) assert.equal((await labControl.exec(h.index, 'test -e /usr/sbin/chronyd')).code, 1, 'nothing installed');

  await onHost(hosts[0]!, 'mkdir -p /srv/kx-repo && echo "deb [trusted=yes] file:/srv/kx-repo ./" > /etc/apt/sources.list.d/kx-local.list');
  try {
    const again = await runWithContext({ pipeline: { name: 'preflight', modules: [preflightModule(spec, { fix: false })] }, spec, context: { dataDir }, connectorFor: labConnectorFactory() });
    const first = again.cells.find((c) => c.step.startsWith('Check package sources') && c.host === hosts[0]!.name);
    assert.equal(first?.status, 'succeeded', first?.failure?.message);
  } finally {
    await onHost(hosts[0]!, 'rm -rf /etc/apt/sources.list.d/kx-local.list /srv/kx-repo');
  }
});

// a one-file package and a flat repository of it, made on the host with dpkg-deb (Packages written from its control fields)
const LOCAL_REPO = String.raw`set -e; d=$(mktemp -d); mkdir -p $d/pkg/DEBIAN $d/pkg/usr/share/kx-hello /srv/kx-repo
echo hello > $d/pkg/usr/share/kx-hello/hello
printf 'Package: kx-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: kubexms tests <kx@example.invalid>\nDescription: kubexms test package\n' > $d/pkg/DEBIAN/control
dpkg-deb --build $d/pkg /srv/kx-repo/kx-hello_1.0_all.deb >/dev/null; rm -rf $d; cd /srv/kx-repo
{ dpkg-deb -f kx-hello_1.0_all.deb; echo "Filename: ./kx-hello_1.0_all.deb"; echo "Size: $(stat -c %s kx-hello_1.0_all.deb)"; echo "SHA256: $(sha256sum kx-hello_1.0_all.deb | cut -d' ' -f1)"; echo; } > Packages
echo "deb [trusted=yes] file:/srv/kx-repo ./" > /etc/apt/sources.list.d/kx-local.list`;
const DROP_REPO = 'dpkg --purge kx-hello >/dev/null 2>&1; rm -rf /srv/kx-repo /etc/apt/sources.list.d/kx-local.list /var/lib/apt/lists/_srv_kx-repo*; true';

for (const user of ['kxuser', 'kxnopw', 'root'] as const) test(`as ${user}: system.debs from a file: repository added for the install: preflight passes, apt-get update reads it, the package is installed; a rerun skips`, async () => {
  for (const h of hosts) await onHost(h, `${DROP_REPO}; ${LOCAL_REPO}`);
  try {
    const spec = specFor(user, { kubernetes: { version: 'v1.31.4' }, system: { debs: ['kx-hello'] } });
    const r = await runWithContext({ pipeline: createCluster(spec, { until: 'kernel' }), spec, context: { dataDir }, connectorFor: labConnectorFactory() });
    assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message ?? r.cells.find((c) => c.status === 'failed')?.failure?.message);
    for (const h of hosts) {
      assert.equal(r.cells.find((c) => c.step.startsWith('Check package sources') && c.host === h.name)?.status, 'succeeded');
      assert.equal(r.cells.find((c) => c.step === 'Install packages (system.debs / system.rpms)' && c.host === h.name)?.status, 'succeeded');
      assert.match(await onHost(h, "dpkg-query -W -f='${Status} ${Version}' kx-hello"), /^install ok installed 1\.0$/);
      assert.equal(await onHost(h, 'cat /usr/share/kx-hello/hello'), 'hello\n');
    }
    const again = await runWithContext({ pipeline: createCluster(spec, { until: 'kernel' }), spec, context: { dataDir }, connectorFor: labConnectorFactory() });
    assert.equal(again.outcome.status, 'succeeded');
    assert.deepEqual(again.cells.filter((c) => c.step === 'Install packages (system.debs / system.rpms)').map((c) => c.status), Array(hosts.length).fill('skipped'));
  } finally {
    for (const h of hosts) await onHost(h, DROP_REPO);
  }
});
