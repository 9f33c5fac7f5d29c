import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import { MODULES_LOAD_FILE, SYSCTL_FILE } from './kernel/config';
import { addNodes, createCluster, resetCluster } from './pipelines';
import { collectPreflightReport } from './preflight/report';
import { labExec, labSpec, runOnLab } from './testing/lab';

let hosts: LabHost[];
const FILES = 'find /etc /usr/local /opt /var/lib -maxdepth 3 -not -path "/var/lib/systemd*" -not -path "/etc/.pwd.lock" 2>/dev/null | sort';
const hasKernelFiles = async (i: number) => (await labExec(i, `ls ${MODULES_LOAD_FILE} ${SYSCTL_FILE} 2>/dev/null || true`)).trim() !== '';

before(async () => {
  hosts = await labHosts(3);
  for (const h of hosts) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}`);
});

test('addNodes touches only the new node: facts are read everywhere, checks and kernel setup run on it alone', async () => {
  const spec = labSpec(hosts);
  const [h1, h2, h3] = hosts as [LabHost, LabHost, LabHost];
  const full = addNodes(spec, { nodes: [h3.name] });
  const pipeline = { ...full, modules: full.modules.filter((m) => m.name === 'Preflight' || m.name === 'Kernel') };
  const run = await runOnLab({ spec, pipeline });
  assert.equal(run.outcome.status, 'succeeded', run.outcome.failure?.message);
  for (const h of hosts) assert.equal(run.status('Gather host facts', h.name), 'succeeded');
  assert.equal(run.status('Load kernel modules', h3.name), 'succeeded');
  assert.equal(run.status('Load kernel modules', h1.name), undefined);
  assert.deepEqual([...new Set(collectPreflightReport(run.runtime).map((r) => r.host))], [h3.name]);
  assert.equal(await hasKernelFiles(h3.index), true);
  assert.equal(await hasKernelFiles(h1.index), false);
  assert.equal(await hasKernelFiles(h2.index), false);
});

test('resetCluster after preflight + kernel leaves every host with the file list it had before', async () => {
  const spec = labSpec(hosts);
  for (const h of hosts) await labExec(h.index, `rm -f ${MODULES_LOAD_FILE} ${SYSCTL_FILE}`);
  const before = await Promise.all(hosts.map((h) => labExec(h.index, FILES)));
  const create = createCluster(spec);
  const installed = await runOnLab({ spec, pipeline: { ...create, modules: create.modules.slice(0, 2) } });
  assert.equal(installed.outcome.status, 'succeeded', installed.outcome.failure?.message);
  for (const h of hosts) assert.equal(await hasKernelFiles(h.index), true);
  const reset = await runOnLab({ spec, pipeline: resetCluster(spec) });
  assert.equal(reset.outcome.status, 'succeeded', reset.outcome.failure?.message);
  for (const [i, h] of hosts.entries()) {
    assert.equal(reset.status('Remove kubexms kernel files', h.name), 'succeeded');
    assert.equal(await labExec(h.index, FILES), before[i], `file list of ${h.name} changed`);
  }
});
