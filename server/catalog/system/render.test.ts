import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSpec } from '../testing/fixture-spec';
import { kernelModule } from '../kernel/tasks';
import { renderChronyConf } from './render';
import { systemTasks } from './tasks';

const system = { ntpServers: ['ntp.example', 'cp1'], rpms: [], debs: ['chrony'], preInstall: [], postInstall: [], skipConfigureOS: false, timezone: 'Europe/Berlin' };

test('chrony: outside servers as given, a host name as its internal address, and that host serves the others', () => {
  const spec = { ...fixtureSpec(), system };
  const cp1 = spec.hosts.find((h) => h.name === 'cp1')!;
  const others = spec.hosts.filter((h) => h.name !== 'cp1');
  assert.equal(renderChronyConf(spec, 'cp2'), `# Managed by kubexms (system.ntpServers)\nserver ntp.example iburst\nserver ${cp1.internalAddress ?? cp1.address} iburst\ndriftfile /var/lib/chrony/chrony.drift\nmakestep 1.0 3\nrtcsync\nlogdir /var/log/chrony\n`);
  const served = renderChronyConf(spec, 'cp1');
  assert.match(served, /^local stratum 10$/m);
  for (const h of others) assert.match(served, new RegExp(`^allow ${h.internalAddress ?? h.address}$`, 'm'));
  assert.doesNotMatch(served, new RegExp(`server ${cp1.internalAddress ?? cp1.address}`));
});

test('system tasks in KubeKey order; skipConfigureOS keeps hooks and packages but leaves kernel, time and chrony alone', () => {
  const spec = { ...fixtureSpec(), system: { ...system, preInstall: [{ name: 'disk', bash: 'true', materials: [] }] } };
  assert.deepEqual(systemTasks(spec).map((t) => [t.name, t.steps.map((s) => s.name)]), [
    ['preInstall scripts', ['preInstall: disk']],
    ['Extra packages', ['Install packages (system.debs / system.rpms)']],
    ['Time zone and NTP', ['Set time zone Europe/Berlin', 'Install chrony (system.ntpServers)', 'Configure chrony (system.ntpServers)']],
  ]);
  const skipped = kernelModule({ ...spec, system: { ...spec.system, skipConfigureOS: true } });
  assert.deepEqual(skipped.tasks.map((t) => t.name), ['preInstall scripts', 'Extra packages', 'Kernel modules and sysctls']);
  assert.deepEqual(skipped.tasks.at(-1)!.steps.map((s) => s.name), ['Kernel modules and sysctls (skipConfigureOS: left as they are)']);
  const roles = systemTasks({ ...spec, system: { ...spec.system, preInstall: [
    { name: 'a', bash: 'true', materials: [] }, { name: 'b', bash: 'true', materials: [], role: 'k8s' as const },
    { name: 'c', bash: 'true', materials: [], role: 'k8s' as const }, { name: 'd', bash: 'true', materials: [], role: 'control-plane' as const },
  ] } });
  assert.deepEqual(roles.slice(0, 3).map((t) => [t.name, t.runOnRoles, t.steps.map((s) => s.name)]), [
    ['preInstall scripts', undefined, ['preInstall: a']],
    ['preInstall scripts (k8s)', ['control-plane', 'worker'], ['preInstall: b', 'preInstall: c']],
    ['preInstall scripts (control-plane)', ['control-plane'], ['preInstall: d']],
  ]);
  const ipvs = kernelModule({ ...fixtureSpec(), kubernetes: { ...fixtureSpec().kubernetes, proxyMode: 'ipvs' } });
  assert.deepEqual(ipvs.tasks.at(-1)!.steps.map((s) => s.name), ['Load kernel modules', 'Apply sysctl settings', 'Check ipset and ipvsadm (kube-proxy ipvs)']);
});
