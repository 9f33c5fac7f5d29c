import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateIpvsModules, parseIpvsFacts } from './ipvs-modules';

const NOT_FOUND = (m: string) => `modprobe: FATAL: Module ${m} not found in directory /lib/modules/6.18.44-fc`;

test('a kernel without IPVS: every missing module named, modprobe\'s words once, the kernel config line, and what to do', () => {
  const out = [
    'kernel\t6.18.44-fc',
    ...['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'].map((m) => `${m}\tmissing\t${NOT_FOUND(m)}`),
    'nf_conntrack\tavailable\t',
    'config\t# CONFIG_IP_VS is not set',
  ].join('\n');
  const facts = parseIpvsFacts(out);
  assert.equal(facts.kernel, '6.18.44-fc');
  assert.deepEqual(facts.modules.map((m) => m.state), ['missing', 'missing', 'missing', 'missing', 'available']);
  const r = evaluateIpvsModules(facts);
  assert.equal(r.status, 'failed');
  assert.match(r.measured, /^6\.18\.44-fc: cannot load ip_vs, ip_vs_rr, ip_vs_wrr, ip_vs_sh \(modprobe: FATAL: Module ip_vs not found in directory \/lib\/modules\/6\.18\.44-fc \(likewise ip_vs_rr, ip_vs_wrr, ip_vs_sh\); /);
  assert.match(r.measured, /kernel config: CONFIG_IP_VS is not set\)\. /);
  assert.match(r.measured, /boot a kernel built with IPVS .* install the package with this kernel's modules, or set kubernetes\.proxyMode: iptables$/);
  assert.doesNotMatch(r.measured, /nf_conntrack/);
});

test('loaded or loadable modules pass; no answer at all fails', () => {
  const ok = parseIpvsFacts('kernel\t6.1.0-28-amd64\nip_vs\tloaded\t\nip_vs_rr\tavailable\t\nip_vs_wrr\tavailable\t\nip_vs_sh\tavailable\t\nnf_conntrack\tloaded\t\nconfig\tCONFIG_IP_VS=m\n');
  assert.deepEqual(evaluateIpvsModules(ok), {
    check: 'ipvs', status: 'passed', measured: '6.1.0-28-amd64: 2 loaded, 3 loadable', expected: 'ip_vs, ip_vs_rr, ip_vs_wrr, ip_vs_sh, nf_conntrack loaded or loadable (kube-proxy ipvs mode)',
  });
  assert.equal(evaluateIpvsModules(parseIpvsFacts('')).status, 'failed');
});

test('modules shipped in a package not installed: the config says =m, and the advice names the modules package', () => {
  const r = evaluateIpvsModules(parseIpvsFacts(`kernel\t5.15.0-91-generic\nip_vs\tmissing\t${NOT_FOUND('ip_vs')}\nip_vs_rr\tavailable\t\nconfig\tCONFIG_IP_VS=m`));
  assert.match(r.measured, /: cannot load ip_vs \(modprobe: FATAL: Module ip_vs not found[^;]*; kernel config: CONFIG_IP_VS=m\)\. .*install the package with this kernel's modules/);
  assert.doesNotMatch(r.measured, /ip_vs_rr/);
});
