import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeUnloadable, parseUnloadable } from './unloadable';

test('every refused module in one error, with modprobe\'s words and the advice that fits', () => {
  const refused = parseUnloadable('ip_vs\tmodprobe: FATAL: Module ip_vs not found in directory /lib/modules/6.1\nip_vs_rr\tmodprobe: FATAL: Module ip_vs_rr not found\n\n');
  assert.deepEqual(refused.map((r) => r.module), ['ip_vs', 'ip_vs_rr']);
  const msg = describeUnloadable('n1', refused);
  assert.match(msg, /^the kernel on n1 cannot load ip_vs, ip_vs_rr \(modprobe: FATAL: Module ip_vs not found in directory \/lib\/modules\/6\.1; modprobe: FATAL: Module ip_vs_rr not found\)\. /);
  const same = parseUnloadable(['ip_vs', 'ip_vs_rr', 'ip_vs_sh'].map((m) => `${m}\tmodprobe: FATAL: Module ${m} not found in directory /lib/modules/6.1`).join('\n'));
  assert.match(describeUnloadable('n1', same), /cannot load ip_vs, ip_vs_rr, ip_vs_sh \(modprobe: FATAL: Module ip_vs not found in directory \/lib\/modules\/6\.1 \(likewise ip_vs_rr, ip_vs_sh\)\)\. /);
  assert.match(msg, /kubernetes\.proxyMode: iptables$/);
  const overlay = describeUnloadable('n2', parseUnloadable('overlay\t\n'));
  assert.match(overlay, /cannot load overlay \(modprobe failed without a message\)\. Kubernetes needs them/);
  assert.doesNotMatch(overlay, /proxyMode/);
});
