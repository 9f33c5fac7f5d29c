import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sh } from '../../connectors/shell-quote';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { existingPaths, fileMatches, removePaths, writeFileIfChanged } from '../common/files';
import { commandPaths } from '../common/commands';
import { unitState } from '../common/systemd';
import type { KxPipeline, KxStep } from '../common/types';
import { labExec, labSpec, runOnLab } from './lab';

let hosts: LabHost[];
const dir = `/etc/kubexms-test-${process.pid}`;
const file = `${dir}/sub/it's a "file".conf`;

before(async () => {
  hosts = await labHosts(3);
});
after(async () => {
  for (const h of hosts ?? []) await labControl.exec(h.index, `rm -rf ${dir}`);
});

const writeStep = (content: string, mode: number): KxStep => ({
  name: 'Write test file',
  check: (ctx) => fileMatches(ctx, file, content, mode),
  run: async (ctx) => {
    assert.equal(await writeFileIfChanged(ctx, file, content, mode), true);
    assert.equal(await writeFileIfChanged(ctx, file, content, mode), false);
  },
});
const pipeline = (steps: KxStep[]): KxPipeline => ({ name: 'helper-test', modules: [{ name: 'Test', tasks: [{ name: 'Files', steps }] }] });

test('runOnLab runs steps over SSH; writeFileIfChanged writes once, a rerun skips, mode changes are applied', async () => {
  const spec = labSpec(hosts);
  const first = await runOnLab({ spec, pipeline: pipeline([writeStep('a=1\n', 0o600)]) });
  assert.equal(first.outcome.status, 'succeeded', JSON.stringify(first.outcome.failure));
  for (const h of hosts) {
    assert.equal(first.status('Write test file', h.name), 'succeeded');
    const seen = await labControl.exec(h.index, sh`stat -c %a ${file} && cat ${file}`);
    assert.equal(seen.stdout, '600\na=1\n');
  }
  const second = await runOnLab({ spec, pipeline: pipeline([writeStep('a=1\n', 0o600)]) });
  for (const h of hosts) assert.equal(second.status('Write test file', h.name), 'skipped');
  const third = await runOnLab({ spec, pipeline: pipeline([writeStep('a=1\n', 0o644)]) });
  assert.equal(third.outcome.status, 'succeeded');
  assert.equal((await labControl.exec(hosts[0]!.index, sh`stat -c %a ${file}`)).stdout.trim(), '644');
});

test('commandPaths, unitState and removePaths read and change the real host', async () => {
  const spec = labSpec(hosts.slice(0, 1));
  const seen: Record<string, unknown> = {};
  const probe: KxStep = {
    name: 'Probe',
    check: async () => false,
    run: async (ctx) => {
      seen.commands = await commandPaths(ctx, ['conntrack', 'sh', 'no-such-cmd-kx']);
      seen.sshd = await unitState(ctx, 'ssh.service');
      seen.missing = await unitState(ctx, 'no-such-unit-kx.service');
      seen.removed = await removePaths(ctx, [dir, `${dir}-absent`]);
      seen.after = await existingPaths(ctx, [dir, '/etc/hostname']);
      await assert.rejects(removePaths(ctx, ['/']), /refusing/);
    },
  };
  const run = await runOnLab({ spec, pipeline: pipeline([probe]) });
  assert.equal(run.outcome.status, 'succeeded', JSON.stringify(run.outcome.failure));
  assert.deepEqual(seen.commands, { conntrack: '/usr/sbin/conntrack', sh: '/usr/bin/sh', 'no-such-cmd-kx': null });
  assert.equal((seen.sshd as { active: boolean }).active, true);
  assert.equal((seen.missing as { loaded: boolean }).loaded, false);
  assert.deepEqual(seen.removed, [dir]);
  assert.deepEqual(seen.after, ['/etc/hostname']);
  assert.equal((await labControl.exec(hosts[0]!.index, `test -e ${dir} && echo yes || echo no`)).stdout.trim(), 'no');
});

test('non-root users: preflight facts (ss -p needs root) and root-owned writes go through sudo, with and without a sudo password', async () => {
  for (const user of ['kxuser', 'kxnopw'] as const) {
    const spec = labSpec(hosts.slice(0, 1), { user });
    const seen: string[] = [];
    const step: KxStep = {
      name: 'Sudo probe',
      check: async () => false,
      run: async (ctx) => {
        seen.push((await ctx.sudo('id -u')).stdout.trim(), (await ctx.exec('id -un')).stdout.trim());
        await writeFileIfChanged(ctx, file, `user=${user}\n`, 0o600);
      },
    };
    const run = await runOnLab({ spec, pipeline: pipeline([step]) });
    assert.equal(run.outcome.status, 'succeeded', run.outcome.failure?.message);
    assert.deepEqual(seen, ['0', user]);
    assert.equal(await labExec(hosts[0]!.index, sh`stat -c '%U %a' ${file} && cat ${file}`), `root 600\nuser=${user}\n`);
  }
});
