import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import type { KxPipeline } from '../common/types';
import { createCluster } from '../pipelines';
import { labExec, labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import { KERNEL_MODULES, MODULES_LOAD_FILE, renderModulesLoad, SYSCTL_FILE } from './config';
import { IPVS_MODULES } from './ipvs';
import { kernelModule } from './tasks';

// proxyMode ipvs on a kernel without IPVS (the lab's: CONFIG_IP_VS is not set, README "Limits"): preflight refuses before
// anything changes; run anyway (no preflight), the module step persists its list and fails once, naming what is missing.
let hosts: LabHost[];
let dataDir: string;
const IPVS_LIST = renderModulesLoad([...KERNEL_MODULES, ...IPVS_MODULES]);
const UNLOADABLE = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'];
// what the kernel module would change: its two files (names, modes, owners, content) and a sysctl it sets
const state = (i: number) =>
  labExec(i, `find /etc/modules-load.d /etc/sysctl.d -mindepth 1 -printf '%p %m %u %s\\n' -exec sh -c 'test -f "$1" && md5sum < "$1" || true' _ {} \\; | sort; sysctl -n net.ipv4.ip_forward`);
const run = (spec: ReturnType<typeof labSpec>, pipeline: KxPipeline = { name: 'kernel', modules: [kernelModule(spec)] }) =>
  runWithContext({ pipeline, spec, context: { dataDir }, connectorFor: labConnectorFactory() });

before(async () => {
  hosts = await labHosts(3);
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-ipvs-'));
  for (const h of hosts) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}; sysctl -q -w net.ipv4.ip_forward=0`);
});

after(async () => {
  for (const h of hosts ?? []) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}`);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

for (const user of ['root', 'kxuser', 'kxnopw'] as const) {
  test(`as ${user}: preflight refuses ipvs before any change; the module step persists the ipvs list, fails naming ip_vs, and a rerun converges`, async () => {
    const spec = labSpec(hosts, { user, overrides: { kubernetes: { version: 'v1.31.4', proxyMode: 'ipvs' } } });
    const before = await Promise.all(hosts.map((h) => state(h.index)));

    const pre = await run(spec, createCluster(spec, { until: 'kernel' }));
    assert.equal(pre.outcome.status, 'failed');
    for (const [i, h] of hosts.entries()) {
      const cell = pre.cells.find((c) => c.step === 'Check IPVS kernel modules (proxyMode ipvs)' && c.host === h.name);
      assert.equal(cell?.status, 'failed', `${h.name}: ${cell?.status}`);
      const msg = cell?.failure?.message ?? '';
      assert.match(msg, new RegExp(`cannot load ${UNLOADABLE.join(', ')} \\(modprobe: FATAL: Module ip_vs not found in directory /lib/modules/`));
      assert.match(msg, /\(likewise ip_vs_rr, ip_vs_wrr, ip_vs_sh\); kernel config: CONFIG_IP_VS is not set\)/);
      assert.match(msg, /or set kubernetes\.proxyMode: iptables/);
      assert.doesNotMatch(msg, /nf_conntrack,|nf_conntrack \(/, 'nf_conntrack is built in: not named');
      assert.ok(!pre.cells.some((c) => c.step === 'Load kernel modules' && c.status !== 'cancelled'), 'the kernel module never ran');
      assert.equal(await state(h.index), before[i], `${h.name}: nothing changed`);
    }

    for (const attempt of [1, 2]) {
      const r = await run(spec);
      assert.equal(r.outcome.status, 'failed', `attempt ${attempt}`);
      const failed = r.cells.filter((c) => c.status === 'failed');
      assert.deepEqual([...new Set(failed.map((c) => c.step))], ['Load kernel modules']);
      assert.equal(failed.length, hosts.length);
      for (const c of failed) {
        assert.match(c.failure?.message ?? '', new RegExp(`^the kernel on ${c.host} cannot load ${UNLOADABLE.join(', ')} \\(modprobe: FATAL: Module ip_vs not found in directory /lib/modules/\\S+ \\(likewise ip_vs_rr, ip_vs_wrr, ip_vs_sh\\)\\)\\. `));
        assert.match(c.failure?.message ?? '', /boot a kernel built with IPVS .*or set kubernetes\.proxyMode: iptables$/);
      }
      for (const h of hosts) {
        assert.equal(await labExec(h.index, `cat ${MODULES_LOAD_FILE}`), IPVS_LIST, `${h.name}: the ipvs list is persisted (attempt ${attempt})`);
        assert.equal((await labExec(h.index, `stat -c '%a %U' ${MODULES_LOAD_FILE}`)).trim(), '644 root');
      }
    }
    assert.match(IPVS_LIST, /^ip_vs\nip_vs_rr\nip_vs_wrr\nip_vs_sh\nnf_conntrack\n$/m);

    const iptables = labSpec(hosts, { user, overrides: { kubernetes: { version: 'v1.31.4', proxyMode: 'iptables' } } });
    const back = await run(iptables);
    assert.equal(back.outcome.status, 'succeeded', back.outcome.failure?.message);
    for (const h of hosts) assert.equal(await labExec(h.index, `cat ${MODULES_LOAD_FILE}`), renderModulesLoad(KERNEL_MODULES));
    for (const h of hosts) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}; sysctl -q -w net.ipv4.ip_forward=0`);
  });
}
