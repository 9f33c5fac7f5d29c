import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterSpec } from '../contracts/cluster-spec';
import { planPipeline } from '../engine';
import { runtimeHostsFromSpec } from './common/hosts';
import { isAllowedOnExistingNodes } from './common/add-nodes';
import { PIPELINE_NAMES } from '../contracts/pipelines';
import { prepareRun } from '../runner/prepare';
import { PipelineRegistry } from '../runner/registry';
import { PIPELINES } from './pipelines';
import { pipelineArtifacts, pipelineSpecErrors } from './run-hooks';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
const spec = ClusterSpec.parse({
  name: 'demo',
  kubernetes: { version: 'v1.31.4' },
  etcd: { version: 'v3.4.23' },
  containerd: { version: 'v1.6.20' },
  artifacts: { mirror: 'http://127.0.0.1:9/artifacts' },
  hosts: [
    { name: 'cp1', address: '198.51.100.11', auth: { type: 'key', privateKey: KEY }, roles: ['etcd', 'control-plane'], labels: { pool: 'a' } },
    { name: 'w1', address: '198.51.100.12', auth: { type: 'key', privateKey: KEY }, roles: ['worker'] },
    { name: 'w2', address: '198.51.100.13', auth: { type: 'key', privateKey: KEY }, roles: ['worker'] },
  ],
});
const hosts = runtimeHostsFromSpec(spec);
const plan = (name: (typeof PIPELINE_NAMES)[number], opts = {}) => planPipeline(PIPELINES[name](spec, opts), hosts);
const createTasks = () => PIPELINES.createCluster(spec, {}).modules.flatMap((m) => m.tasks);
const hostsOf = (p: ReturnType<typeof plan>, task: string) => p.modules.flatMap((m) => m.tasks).find((t) => t.name === task)?.hosts;

test('runtimeHostsFromSpec carries name, address, roles, labels and the spec host', () => {
  assert.deepEqual(hosts[0], { name: 'cp1', address: '198.51.100.11', roles: ['etcd', 'control-plane'], labels: { pool: 'a' }, data: spec.hosts[0] });
});

test('every pipeline name has a factory; createCluster runs preflight → kernel → containerd → etcd → kubernetes', () => {
  assert.deepEqual(Object.keys(PIPELINES).sort(), [...PIPELINE_NAMES].sort());
  const p = plan('createCluster');
  assert.equal(p.modules.length, 5);
  assert.deepEqual(p.modules.map((m) => m.name).slice(0, 4), ['Preflight', 'Kernel', 'containerd', 'etcd']);
  assert.deepEqual(hostsOf(p, 'Kernel modules and sysctls'), ['cp1', 'w1', 'w2']);
  assert.equal(p.modules[0]!.tasks.at(-1)!.name, 'Preflight report');
});

test('preflightOnly is only the preflight module', () => {
  assert.deepEqual(plan('preflightOnly').modules.map((m) => m.name), ['Preflight']);
});

test('resetCluster undoes in reverse order and ends with the kernel files and fstab', () => {
  const names = plan('resetCluster').modules.map((m) => m.name);
  assert.deepEqual(names, ['Reset Kubernetes', 'Reset etcd', 'Reset containerd', 'Reset kernel settings', 'Restore swap']);
});

test('addNodes narrows every task to the new nodes except the ones marked allowOnExistingNodes', () => {
  const p = plan('addNodes', { nodes: ['w2'] });
  const tasks = PIPELINES.addNodes(spec, { nodes: ['w2'] }).modules.flatMap((m) => m.tasks);
  assert.deepEqual(hostsOf(p, 'Gather host facts'), ['cp1', 'w1', 'w2']);
  const onExisting = new Set(createTasks().filter((t) => isAllowedOnExistingNodes(t)).map((t) => t.name));
  assert.ok(onExisting.has('Gather host facts'));
  assert.equal(tasks.length, p.modules.flatMap((m) => m.tasks).length);
  for (const t of p.modules.flatMap((m) => m.tasks)) {
    if (onExisting.has(t.name)) continue;
    assert.ok(t.hosts.every((h) => h === 'w2'), `${t.name} targets ${t.hosts.join(',')}`);
  }
  assert.deepEqual(hostsOf(p, 'Kernel modules and sysctls'), ['w2']);
  assert.throws(() => PIPELINES.addNodes(spec, {}), /at least one node/);
  assert.throws(() => PIPELINES.addNodes(spec, { nodes: ['nope'] }), /not in the cluster spec: nope/);
});

test('onlyHosts (applied once, by the runner) narrows every task of any catalog pipeline', () => {
  const registry = new PipelineRegistry().registerAll(PIPELINES);
  for (const name of PIPELINE_NAMES) {
    const p = prepareRun(registry, name, spec, { onlyHosts: ['w1'], ...(name === 'addNodes' || name === 'removeNodes' ? { nodes: ['w1'] } : {}), ...(name === 'etcdRestore' ? { backupId: 1 } : {}) }).plan;
    const tasks = p.modules.flatMap((m) => m.tasks);
    assert.ok(tasks.length > 0, name);
    assert.ok(tasks.every((t) => t.hosts.every((h) => h === 'w1')), name);
  }
  assert.deepEqual(hostsOf(prepareRun(registry, 'createCluster', spec, { onlyHosts: ['w1'] }).plan, 'Gather host facts'), ['w1']);
  assert.throws(() => prepareRun(registry, 'preflightOnly', spec, { onlyHosts: ['x'] }), /onlyHosts: unknown host x/);
});

test('until stops createCluster and addNodes after the named module; other pipelines refuse it', () => {
  assert.deepEqual(plan('createCluster', { until: 'etcd' }).modules.map((m) => m.name), ['Preflight', 'Kernel', 'containerd', 'etcd']);
  assert.deepEqual(plan('createCluster', { until: 'preflight' }).modules.map((m) => m.name), ['Preflight']);
  assert.deepEqual(plan('addNodes', { nodes: ['w2'], until: 'kernel' }).modules.map((m) => m.name), ['Preflight', 'Kernel']);
  assert.equal(plan('createCluster', { until: 'kubernetes' }).modules.length, 5);
  assert.throws(() => PIPELINES.resetCluster(spec, { until: 'etcd' }), /^RangeError: until: resetCluster has no phases/);
  assert.throws(() => PIPELINES.preflightOnly(spec, { until: 'preflight' }), /until: preflightOnly has no phases/);
});

test('a run until etcd does not verify the Kubernetes artifacts: they are not needed', () => {
  const components = (until?: 'etcd' | 'kernel') => pipelineArtifacts('createCluster', spec, until ? { until } : {}).map((a) => a.component);
  assert.ok(components().includes('kubeadm'));
  assert.ok(components('etcd').includes('etcd') && components('etcd').includes('containerd'));
  assert.ok(!components('etcd').some((c) => ['kubeadm', 'kubelet', 'kubectl'].includes(c)));
  assert.deepEqual(components('kernel'), []);
});

test('removeNodes touches the removed node, plus the staying control plane (drain) and etcd member (member remove) only', () => {
  const p = plan('removeNodes', { nodes: ['w2'] });
  assert.deepEqual(hostsOf(p, 'Drain the removed nodes'), ['cp1']);
  assert.deepEqual(hostsOf(p, 'Remove the etcd members'), ['cp1']);
  assert.deepEqual(hostsOf(p, 'Reset Kubernetes'), ['w2']);
  assert.deepEqual(hostsOf(p, 'Reset containerd'), ['w2']);
  assert.deepEqual(hostsOf(p, 'Reset etcd'), []);
  assert.deepEqual(p.modules.map((m) => m.name), ['Remove from Kubernetes', 'Remove from etcd', 'Reset containerd', 'Reset kernel settings', 'Restore swap']);
  assert.throws(() => PIPELINES.removeNodes(spec, {}), /name at least one node/);
  assert.throws(() => PIPELINES.removeNodes(spec, { nodes: ['cp1'] }), /would leave no etcd member/);
  assert.throws(() => PIPELINES.removeNodes(spec, { nodes: ['nope'] }), /not in the cluster spec: nope/);
});

test('a run with the kubernetes module verifies the CNI manifest too, and holds etcd to kubeadm\'s minimum for the minor', () => {
  const components = pipelineArtifacts('createCluster', spec).map((a) => `${a.component} ${a.version}`);
  assert.ok(components.includes('calico v3.29.3'), components.join(', '));
  assert.deepEqual(pipelineSpecErrors('createCluster', spec).map((e) => e.path), ['etcd.version']);
  assert.match(pipelineSpecErrors('addNodes', spec)[0]!.message, /etcd v3\.4\.23 is below v3\.5\.14, the etcd kubeadm supports for Kubernetes 1\.31/);
  assert.deepEqual(pipelineSpecErrors('createCluster', spec, { until: 'etcd' }), []);
  assert.deepEqual(pipelineSpecErrors('preflightOnly', spec), []);
  const ok = ClusterSpec.parse({ ...spec, etcd: { version: 'v3.5.14' } });
  assert.deepEqual(pipelineSpecErrors('createCluster', ok), []);
  assert.equal(pipelineSpecErrors('createCluster', ClusterSpec.parse({ ...spec, kubernetes: { ...spec.kubernetes, version: 'v1.32.0' }, etcd: { version: 'v3.5.15' } }))[0]?.message.includes('v3.5.16'), true);
  assert.deepEqual(pipelineSpecErrors('createCluster', ClusterSpec.parse({ ...spec, kubernetes: { ...spec.kubernetes, version: 'v1.28.0' }, etcd: { version: 'v3.5.9' } })), []);
});
