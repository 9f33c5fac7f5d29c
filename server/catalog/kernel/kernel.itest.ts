import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { labExec, labSpec, runOnLab } from '../testing/lab';
import { MODULES_LOAD_FILE, renderModulesLoad, renderSysctl, SYSCTL_FILE, KERNEL_MODULES, SYSCTLS } from './config';
import { kernelModule, kernelResetTasks } from './tasks';

let hosts: LabHost[];
// names, modes, owners, sizes and link targets: a directory's link count changes when overlayfs copies it up
const listing = (i: number) => labExec(i, `find /etc/modules-load.d /etc/sysctl.d -mindepth 1 -printf '%p %m %u %s %l\\n' | sort`);

before(async () => {
  hosts = await labHosts(3);
  for (const h of hosts) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}; sysctl -q -w net.ipv4.ip_forward=0`);
});

test('kernel: modules loaded and persisted, sysctls set and persisted; a rerun skips; drift is repaired; reset removes only our files', async () => {
  const spec = labSpec(hosts);
  const before = await Promise.all(hosts.map((h) => listing(h.index)));
  const pipeline = { name: 'kernel', modules: [kernelModule(spec)] };

  const first = await runOnLab({ spec, pipeline });
  assert.equal(first.outcome.status, 'succeeded', first.outcome.failure?.message);
  for (const h of hosts) {
    assert.equal(first.status('Load kernel modules', h.name), 'succeeded');
    assert.equal(first.status('Apply sysctl settings', h.name), 'succeeded');
    assert.equal(await labExec(h.index, `cat ${MODULES_LOAD_FILE}`), renderModulesLoad(KERNEL_MODULES));
    assert.equal(await labExec(h.index, `cat ${SYSCTL_FILE}`), renderSysctl(SYSCTLS));
    const live = await labExec(h.index, `sysctl -n ${Object.keys(SYSCTLS).join(' ')}`);
    assert.equal(live, '1\n1\n1\n');
    for (const m of KERNEL_MODULES) assert.match(await labExec(h.index, `modprobe -n --first-time ${m} 2>&1 || true`), /already in kernel|builtin/);
  }

  const second = await runOnLab({ spec, pipeline });
  for (const h of hosts) {
    assert.equal(second.status('Load kernel modules', h.name), 'skipped');
    assert.equal(second.status('Apply sysctl settings', h.name), 'skipped');
  }

  const h2 = hosts[1]!;
  await labExec(h2.index, 'sysctl -q -w net.ipv4.ip_forward=0');
  const third = await runOnLab({ spec, pipeline });
  assert.equal(third.status('Apply sysctl settings', h2.name), 'succeeded');
  assert.equal(third.status('Apply sysctl settings', hosts[0]!.name), 'skipped');
  assert.equal((await labExec(h2.index, 'sysctl -n net.ipv4.ip_forward')).trim(), '1');

  const reset = { name: 'reset-kernel', modules: [{ name: 'Reset kernel settings', tasks: kernelResetTasks(spec) }] };
  const r1 = await runOnLab({ spec, pipeline: reset });
  assert.equal(r1.outcome.status, 'succeeded', r1.outcome.failure?.message);
  for (const [i, h] of hosts.entries()) {
    assert.equal(r1.status('Remove kubexms kernel files', h.name), 'succeeded');
    assert.equal(await listing(h.index), before[i]);
  }
  const r2 = await runOnLab({ spec, pipeline: reset });
  for (const h of hosts) assert.equal(r2.status('Remove kubexms kernel files', h.name), 'skipped');
});
