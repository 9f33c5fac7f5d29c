import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureHint } from './failure-hints';

test('catalog failures get their own hint whatever their kind', () => {
  const art = failureHint('command', 'kubeadm v1.31.4 (amd64) has no known sha256 and the mirror\'s http://127.0.0.1:1/SHA256SUMS does not list kubeadm: refusing an unverifiable download');
  assert.equal(art.title, 'Missing artifact');
  assert.equal(art.fixAt, 'mirror');
  const pre = failureHint('command', '1 preflight check(s) failed: CPU cores: 2 (expected >= 64 (control-plane))');
  assert.equal(pre.title, 'Preflight minimum not met');
  assert.match(pre.text, /CPU cores: measured 2, expected >= 64 \(control-plane\)/);
});

test('one hint per failure kind, sudo apart from SSH auth', () => {
  assert.equal(failureHint('auth', 'sudo on n1 needs a password for kxnopw, and none was given').title, 'sudo refused');
  assert.equal(failureHint('auth', 'authentication failed for root@198.51.100.47:22; tried: publickey').title, 'SSH login refused');
  const down = failureHint('unreachable', 'cannot reach 198.51.100.47:22: no answer within 20 s');
  assert.equal(down.title, 'Host unreachable');
  assert.match(down.text, /198\.51\.100\.47:22/);
  assert.match(failureHint('hostkey', 'HOST KEY CHANGED for x:22: expected SHA256:a, got SHA256:b').text, /Test connection/);
  assert.equal(failureHint('timeout', 'step timed out after 5 ms').title, 'Timed out');
  assert.equal(failureHint('internal', 'x').title, 'Internal error');
  assert.equal(failureHint('command', 'systemctl restart etcd failed with exit 1').title, 'Command failed on the host');
  assert.equal(failureHint(null, null).title, 'Command failed on the host');
});
