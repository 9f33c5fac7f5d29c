import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { preflightOnly } from '../pipelines';
import { labExec, labSpec, runOnLab } from '../testing/lab';
import { collectPreflightReport } from './report';
import { preflightModule } from './tasks';

// The lab has no ufw: a stand-in with ufw's status line and `disable` verb, keeping its state in /run.
const FAKE_UFW = `#!/bin/sh
case "$1" in
  status) if [ -f /run/kx-fake-ufw-off ]; then echo 'Status: inactive'; else echo 'Status: active'; fi ;;
  disable) touch /run/kx-fake-ufw-off; echo 'Firewall stopped and disabled on system startup' ;;
  *) exit 2 ;;
esac
`;

let hosts: LabHost[];
let h1: LabHost;
before(async () => {
  hosts = await labHosts(3);
  h1 = hosts[0]!;
  await labExec(h1.index, `cat > /usr/local/sbin/ufw <<'EOF_UFW'\n${FAKE_UFW}EOF_UFW\nchmod 755 /usr/local/sbin/ufw; rm -f /run/kx-fake-ufw-off`);
});
after(async () => {
  if (h1) await labExec(h1.index, 'rm -f /usr/local/sbin/ufw /run/kx-fake-ufw-off');
});

const firewallRow = (run: Awaited<ReturnType<typeof runOnLab>>) =>
  collectPreflightReport(run.runtime).find((r) => r.host === h1.name && r.check === 'firewall');

test('firewall policy: check fails, ignore warns, disable warns in preflightOnly and disables it in createCluster', async () => {
  const withPolicy = (firewall: 'check' | 'ignore' | 'disable') => labSpec(hosts, { overrides: { preflight: { firewall } } });

  const checked = await runOnLab({ spec: withPolicy('check'), pipeline: preflightOnly(withPolicy('check')) });
  assert.equal(checked.outcome.status, 'failed');
  assert.equal(firewallRow(checked)?.status, 'failed');
  assert.match(checked.outcome.failure!.message, /Firewall: ufw active, firewalld absent/);
  assert.equal(checked.status('Check firewall', hosts[1]!.name), 'succeeded');

  const ignored = await runOnLab({ spec: withPolicy('ignore'), pipeline: preflightOnly(withPolicy('ignore')) });
  assert.equal(ignored.outcome.status, 'succeeded', ignored.outcome.failure?.message);
  assert.equal(firewallRow(ignored)?.status, 'warning');

  const spec = withPolicy('disable');
  const dry = await runOnLab({ spec, pipeline: preflightOnly(spec) });
  assert.equal(firewallRow(dry)?.status, 'warning');
  assert.equal((await labExec(h1.index, 'ufw status')).trim(), 'Status: active');

  const fixing = { name: 'preflight-fix', modules: [preflightModule(spec)] };
  const fixed = await runOnLab({ spec, pipeline: fixing });
  assert.equal(fixed.outcome.status, 'succeeded', fixed.outcome.failure?.message);
  assert.equal(fixed.status('Check firewall', h1.name), 'succeeded');
  assert.equal(fixed.status('Check firewall', hosts[1]!.name), 'skipped');
  assert.equal(firewallRow(fixed)?.measured, 'was ufw active, firewalld absent; now ufw inactive, firewalld absent');
  assert.equal((await labExec(h1.index, 'ufw status')).trim(), 'Status: inactive');

  const again = await runOnLab({ spec, pipeline: fixing });
  assert.equal(again.status('Check firewall', h1.name), 'skipped');
});
