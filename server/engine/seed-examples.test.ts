import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sh } from '../connectors/shell-quote';
import { cacheKey } from './cache';
import type { EngineEvent } from './events';
import { StepError } from './errors';
import { planPipeline } from './plan';
import { runPipeline } from './pipeline';
import { createClusterRuntime } from './runtime';
import { fakeFleet, finalCells } from './testing/fake-connector';
import type { FakeHandler } from './testing/fake-connector';
import type { Host, Pipeline, Step, Task } from './types';

const PKI = cacheKey<string>('etcd-pki');

// The seed's three example tasks, written as plain data against the engine API (catalog steps will do real work).
type Spec = { firstMaster: string; containerd: { registryMirrors: string[] }; etcd: { version: string; nodes: { name: string; address: string }[] } };
type S = Step<Spec>;

const marked = (name: string, marker: string, command: string, extra: Partial<S> = {}): S => ({
  name,
  check: async (ctx) => (await ctx.exec(sh`test -e ${marker}`, { quiet: true })).exitCode === 0,
  run: async (ctx) => void (await ctx.sudo(`${command} && ${sh`touch ${marker}`}`)),
  ...extra,
});

const checkOsVersion = (supported: Record<string, string[]>): S => ({
  name: 'Check OS version',
  check: async () => false,
  run: async (ctx) => {
    const osRelease = (await ctx.run('cat /etc/os-release', { quiet: true })).stdout;
    const field = (k: string) => osRelease.match(new RegExp(`^${k}="?([^"\\n]*)`, 'm'))?.[1] ?? '';
    if (!supported[field('ID')]?.includes(field('VERSION_ID'))) throw new StepError('command', `unsupported OS ${field('ID')} ${field('VERSION_ID')}`);
    ctx.log(`OS ${field('ID')} ${field('VERSION_ID')} ok`);
  },
});
const checkCpu = (minCores: number): S => ({
  name: 'Check CPU',
  check: async () => false,
  run: async (ctx) => {
    const cores = Number((await ctx.run('nproc')).stdout.trim());
    if (cores < minCores) throw new StepError('command', `${cores} cores, need ${minCores}`);
  },
});

const systemChecksTask = (): Task<Spec> => ({
  name: 'Run System Preflight Checks',
  runOnRoles: [],
  steps: [checkOsVersion({ debian: ['11', '12'], ubuntu: ['20.04', '22.04'] }), checkCpu(2), marked('Disable swap', '/run/kx/swapoff', 'swapoff -a')],
});

const installContainerdTask = (spec: Spec): Task<Spec> => ({
  name: 'Install and Configure Containerd',
  steps: [
    marked('Install containerd', '/run/kx/containerd', 'install-containerd'),
    marked('Configure mirrors', '/run/kx/mirrors', sh`configure-mirrors ${spec.containerd.registryMirrors}`),
    marked('Enable and start containerd', '/run/kx/containerd-up', 'systemctl enable --now containerd'),
  ],
});

const setupInitialEtcdTask = (spec: Spec): Task<Spec> => ({
  name: 'Setup Initial Etcd Member',
  filter: (host: Host) => host.name === spec.firstMaster,
  steps: [
    marked('Install etcd binaries', '/run/kx/etcd-bin', sh`install-etcd ${spec.etcd.version}`),
    {
      name: 'Generate and distribute etcd certs',
      check: async (ctx) => (await ctx.exec('test -e /run/kx/certs', { quiet: true })).exitCode === 0,
      run: async (ctx) => {
        const pki = ctx.runtime.cache.get(PKI) ?? `CA for ${ctx.runtime.spec.etcd.nodes.map((n) => n.name).join(',')}`;
        ctx.runtime.cache.set(PKI, pki);
        await ctx.upload(pki, '/etc/kubernetes/pki/etcd/ca.crt', { mode: 0o600, sudo: true });
        await ctx.sudo('touch /run/kx/certs');
      },
    },
    marked('Configure etcd service', '/run/kx/etcd-unit', sh`write-unit --initial-cluster ${spec.etcd.nodes.map((n) => `${n.name}=https://${n.address}:2380`).join(',')} --state new`),
    { name: 'Check etcd health', check: async () => false, run: async (ctx) => void (await ctx.run('etcdctl endpoint health')), retries: 3, retryDelayMs: 1 },
  ],
});

const createCluster = (spec: Spec): Pipeline<Spec> => ({
  name: 'createCluster',
  modules: [
    { name: 'preflight', tasks: [systemChecksTask()] },
    { name: 'containerd', tasks: [installContainerdTask(spec)] },
    { name: 'etcd', tasks: [setupInitialEtcdTask(spec)] },
  ],
});

const spec: Spec = {
  firstMaster: 'cp1',
  containerd: { registryMirrors: ['https://mirror.example/$(x)', "it's"] },
  etcd: { version: '3.5.15', nodes: [{ name: 'cp1', address: '198.51.100.10' }] },
};
const hosts: Host[] = [
  { name: 'cp1', address: '198.51.100.10', roles: ['control-plane', 'etcd'] },
  { name: 'w1', address: '198.51.100.11', roles: ['worker'] },
  { name: 'w2', address: '198.51.100.12', roles: ['worker'] },
];

function fakeHosts(): FakeHandler {
  const state = new Map<string, Set<string>>();
  let healthCalls = 0;
  return (cmd, { host }) => {
    const files = state.get(host) ?? state.set(host, new Set()).get(host)!;
    if (cmd === 'cat /etc/os-release') return { stdout: 'ID=debian\nVERSION_ID="12"\n' };
    if (cmd === 'nproc') return { stdout: '4\n' };
    if (cmd === 'etcdctl endpoint health') return ++healthCalls < 2 ? { exitCode: 1, stderr: 'connection refused\n' } : { stdout: 'healthy\n' };
    const test = cmd.match(/^test -e '?([^']*)'?$/);
    if (test) return { exitCode: files.has(test[1]!) ? 0 : 1 };
    for (const m of cmd.matchAll(/touch '?([^' ]+)'?/g)) files.add(m[1]!);
    return {};
  };
}

test('the seed example tasks are plain data: plan, run, and a second run skips what is done', async () => {
  const plan = planPipeline(createCluster(spec), hosts);
  assert.deepEqual(plan.modules.map((m) => m.tasks.map((t) => t.hosts)), [[['cp1', 'w1', 'w2']], [['cp1', 'w1', 'w2']], [['cp1']]]);
  assert.equal(plan.cellCount, 3 * 3 + 3 * 3 + 4);
  const handler = fakeHosts();
  const fleet = fakeFleet(handler);
  const runtime = createClusterRuntime({ spec, hosts });
  const events: EngineEvent[] = [];
  const first = await runPipeline({ runId: 'a', pipeline: createCluster(spec), runtime, connectorFor: fleet.connectorFor, onEvent: (e) => void events.push(e) });
  assert.equal(first.status, 'succeeded', JSON.stringify(first.failure));
  assert.ok(fleet.stats.calls.some((c) => c.command.includes(`configure-mirrors 'https://mirror.example/$(x)' 'it'\\''s'`)));
  assert.equal(runtime.cache.get(PKI), 'CA for cp1');
  assert.equal(finalCells(events).get('2.0.3@cp1')?.attempt, 2);
  const again: EngineEvent[] = [];
  const second = await runPipeline({ runId: 'b', pipeline: createCluster(spec), runtime, connectorFor: fakeFleet(handler).connectorFor, onEvent: (e) => void again.push(e) });
  assert.equal(second.status, 'succeeded');
  const skipped = [...finalCells(again).entries()].filter(([, c]) => c.status === 'skipped').map(([k]) => k.split('@')[0]);
  assert.deepEqual([...new Set(skipped)].sort(), ['0.0.2', '1.0.0', '1.0.1', '1.0.2', '2.0.0', '2.0.1', '2.0.2']);
});
