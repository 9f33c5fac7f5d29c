import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { preflightOnly, resetCluster } from '../pipelines';
import { labSpec, runOnLab } from '../testing/lab';
import { collectPreflightReport } from './report';
import { preflightModule } from './tasks';

let hosts: LabHost[];
let fstabBefore: string;
const SWAP_LINE = '/kx-test-swapfile none swap sw 0 0';
const fstab = async (i: number) => (await labControl.exec(i, 'cat /etc/fstab')).stdout;

before(async () => {
  hosts = await labHosts(3);
  fstabBefore = await fstab(hosts[0]!.index);
  assert.ok(!fstabBefore.includes('kx-test-swapfile'));
});
after(async () => {
  if (hosts) await labControl.exec(hosts[0]!.index, "sed -i '/kx-test-swapfile/d' /etc/fstab");
});

test('swap: preflightOnly warns and changes nothing; createCluster comments the fstab line; a rerun skips; reset restores it', async () => {
  const h1 = hosts[0]!;
  await labControl.exec(h1.index, `echo '${SWAP_LINE}' >> /etc/fstab`);
  const spec = labSpec(hosts);

  const dry = await runOnLab({ spec, pipeline: preflightOnly(spec) });
  assert.equal(dry.outcome.status, 'succeeded', dry.outcome.failure?.message);
  const dryRow = collectPreflightReport(dry.runtime).find((r) => r.host === h1.name && r.check === 'swap');
  assert.equal(dryRow?.status, 'warning');
  assert.equal(dryRow?.measured, 'none active, 1 swap line(s) in /etc/fstab');
  assert.equal(await fstab(h1.index), `${fstabBefore}${SWAP_LINE}\n`);
  assert.equal(dry.status('Disable swap', hosts[1]!.name), 'skipped');

  const fixing = { name: 'preflight-fix', modules: [preflightModule(spec)] };
  const fixed = await runOnLab({ spec, pipeline: fixing });
  assert.equal(fixed.outcome.status, 'succeeded', fixed.outcome.failure?.message);
  assert.equal(fixed.status('Disable swap', h1.name), 'succeeded');
  assert.equal(await fstab(h1.index), `${fstabBefore}#kubexms-swap# ${SWAP_LINE}\n`);

  const again = await runOnLab({ spec, pipeline: fixing });
  for (const h of hosts) assert.equal(again.status('Disable swap', h.name), 'skipped');
  assert.equal(collectPreflightReport(again.runtime).find((r) => r.host === h1.name && r.check === 'swap')?.status, 'passed');

  const restore = { name: 'restore', modules: resetCluster(spec).modules.filter((m) => m.name === 'Restore swap') };
  const reset = await runOnLab({ spec, pipeline: restore });
  assert.equal(reset.outcome.status, 'succeeded', reset.outcome.failure?.message);
  assert.equal(reset.status('Restore fstab swap lines', h1.name), 'succeeded');
  assert.equal(reset.status('Restore fstab swap lines', hosts[1]!.name), 'skipped');
  assert.equal(await fstab(h1.index), `${fstabBefore}${SWAP_LINE}\n`);
});
