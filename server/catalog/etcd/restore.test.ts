import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KxContext } from '../common';
import { fixtureSpec } from '../testing/fixture-spec';
import { etcdRestore } from './restore';

/** Runs one step of the restore pipeline against a context that records the privileged commands. */
async function sudoCommandsOf(stepName: string, dataDir?: string): Promise<string> {
  const spec = fixtureSpec(dataDir ? { etcd: { type: 'kubexms', version: 'v3.5.16', dataDir } } : {});
  const steps = etcdRestore(spec, { backupId: 3 }).modules.flatMap((m) => m.tasks.flatMap((t) => t.steps));
  const step = steps.find((s) => s.name === stepName);
  assert.ok(step, `no step "${stepName}" in ${steps.map((s) => s.name).join(', ')}`);
  const commands: string[] = [];
  const ctx = {
    host: { name: spec.hosts[0]!.name },
    log: () => undefined,
    sudo: async (command: string) => (commands.push(command), { exitCode: 0, stdout: '', stderr: '' }),
  } as unknown as KxContext;
  await step.run(ctx);
  return commands.join('\n');
}

test('a restore swaps the data dir the spec names (etcd.dataDir), not the default', async () => {
  const swap = await sudoCommandsOf('Swap in the restored data dir (old one kept)', '/data/etcd');
  assert.ok(swap.includes("mv -- '/data/etcd' '/data/etcd.before-restore-3'"), swap);
  assert.ok(swap.includes("mv -- '/data/etcd.restore-3' '/data/etcd'"), swap);
  assert.doesNotMatch(swap, /\/var\/lib\/etcd/);
  const byDefault = await sudoCommandsOf('Swap in the restored data dir (old one kept)');
  assert.ok(byDefault.includes("mv -- '/var/lib/etcd' '/var/lib/etcd.before-restore-3'"), byDefault);
});
