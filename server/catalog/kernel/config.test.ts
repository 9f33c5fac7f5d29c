import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KERNEL_MODULES, parseModuleStates, parseSysctlValues, renderModulesLoad, renderSysctl, SYSCTLS, sysctlDrift } from './config';

test('rendered files list exactly the modules and settings', () => {
  assert.equal(renderModulesLoad(KERNEL_MODULES), '# Managed by kubexms: kernel modules Kubernetes needs, loaded at boot\noverlay\nbr_netfilter\n');
  assert.equal(
    renderSysctl(SYSCTLS),
    '# Managed by kubexms: kernel settings Kubernetes needs\nnet.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n',
  );
  assert.ok(!Object.keys(SYSCTLS).some((k) => k.startsWith('vm.')));
});

test('renderers refuse names that could break the file', () => {
  assert.throws(() => renderModulesLoad(['overlay\nevil']), /invalid kernel module/);
  assert.throws(() => renderSysctl({ 'net.ipv4.ip_forward': '1\nkernel.x = 1' }), /invalid sysctl/);
  assert.throws(() => renderSysctl({ 'net ipv4': '1' }), /invalid sysctl/);
});

test('sysctl read-back and drift', () => {
  const live = parseSysctlValues('net.ipv4.ip_forward\t0\nnet.bridge.bridge-nf-call-iptables\t1\nnet.ipv4.ping_group_range\t0\t2147483647\nnet.bridge.bridge-nf-call-ip6tables\t\n');
  assert.equal(live.get('net.ipv4.ping_group_range'), '0 2147483647');
  assert.deepEqual(sysctlDrift(SYSCTLS, live), ['net.bridge.bridge-nf-call-ip6tables', 'net.ipv4.ip_forward']);
  assert.deepEqual(sysctlDrift({ 'net.ipv4.ping_group_range': '0   2147483647' }, live), []);
});

test('module states', () => {
  assert.deepEqual([...parseModuleStates('overlay\tloaded\nbr_netfilter\tmissing\n')], [['overlay', true], ['br_netfilter', false]]);
});
