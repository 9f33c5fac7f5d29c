import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureSpec } from '../testing/fixture-spec';
import { certRenewTasks, renderCertRenewService, renderCertRenewTimer } from './cert-renew';

test('autoRenewCerts adds a renewal timer task on control planes only when asked', () => {
  const spec = fixtureSpec();
  assert.deepEqual(certRenewTasks(spec), []);
  const tasks = certRenewTasks({ kubernetes: { ...spec.kubernetes, autoRenewCerts: true } });
  assert.deepEqual(tasks.map((t) => [t.name, t.runOnRoles]), [['Certificate renewal', ['control-plane']]]);
});

test('systemd-analyze verify accepts the timer and its service (kubeadm stands in as /bin/true)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kx-renew-'));
  try {
    writeFileSync(path.join(dir, 'k8s-certs-renew.service'), renderCertRenewService().replace('/usr/local/bin/kubeadm certs renew all', '/bin/true'));
    writeFileSync(path.join(dir, 'k8s-certs-renew.timer'), renderCertRenewTimer());
    const out = execFileSync('systemd-analyze', ['verify', '--man=no', path.join(dir, 'k8s-certs-renew.timer'), path.join(dir, 'k8s-certs-renew.service')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(out.trim(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
