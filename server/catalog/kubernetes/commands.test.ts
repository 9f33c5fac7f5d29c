import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { Connector, ExecResult } from '../../connectors/connector';
import { createClusterRuntime, runPipeline } from '../../engine';
import type { EngineEvent } from '../../engine';
import { runtimeHostsFromSpec } from '../common/hosts';
import type { SpecHost, ClusterSpec } from '../common/types';
import { CACHE_KEYS, setCatalogContext } from '../common/catalog-context';
import { fixtureSpec } from '../testing/fixture-spec';
import { kubernetesTasks } from './tasks';

const TOKEN = 'abcdef.0123456789abcdef';
const HASH = `sha256:${'c'.repeat(64)}`;
type Fs = Map<string, { data: Buffer; mode: number }>;
const q = (s: string) => `'${s}'`;

/** A host simulated just enough for the kubeadm steps: files, registered nodes, kubeadm and kubectl answers. */
function simulatedHost(name: string, fs: Fs, cluster: { nodes: Set<string> }, calls: string[]): Connector {
  const ok = (stdout = ''): ExecResult => ({ exitCode: 0, signal: null, stdout, stderr: '' });
  const fail = (code: number): ExecResult => ({ exitCode: code, signal: null, stdout: '', stderr: '' });
  return {
    target: name,
    async exec(cmd) {
      calls.push(`${name}: ${cmd}`);
      let m: RegExpExecArray | null;
      if ((m = /^if \[ -f '([^']+)' \]; then sha256sum/.exec(cmd))) {
        const f = fs.get(m[1]!);
        return ok(f ? `${createHash('sha256').update(f.data).digest('hex')}\n${f.mode.toString(8)}\n` : 'absent\n');
      }
      if ((m = /^if \[ -e '([^']+)' \]; then cat/.exec(cmd))) return fs.has(m[1]!) ? ok(fs.get(m[1]!)!.data.toString()) : fail(3);
      if ((m = /kubectl' '--kubeconfig=\/etc\/kubernetes\/admin.conf' get node '([^']+)'$/.exec(cmd))) return cluster.nodes.has(m[1]!) ? ok() : fail(1);
      if (/kubeadm' init '--config=/.test(cmd)) {
        fs.set('/etc/kubernetes/admin.conf', { data: Buffer.from('apiVersion: v1\nusers:\n- user:\n    client-key-data: KEY\n'), mode: 0o600 });
        cluster.nodes.add(name);
        return ok();
      }
      if (/kubeadm' token create/.test(cmd)) return ok(`kubeadm join api.prod.example:6443 --token ${TOKEN} --discovery-token-ca-cert-hash ${HASH} \n`);
      if (/kubeadm' join/.test(cmd)) {
        fs.set('/etc/kubernetes/kubelet.conf', { data: Buffer.from('x'), mode: 0o600 });
        cluster.nodes.add(name);
        return ok();
      }
      if (cmd.startsWith('systemctl show')) return ok(fs.has('/etc/kubernetes/kubelet.conf') ? 'ActiveState=active\n' : 'ActiveState=inactive\n');
      if ((m = /^for p in (.+); do if/.exec(cmd))) return ok(m[1]!.split(' ').map((p) => p.slice(1, -1)).filter((p) => fs.has(p)).join('\n'));
      if ((m = /^rm -rf -- (.+)$/.exec(cmd))) return void m[1]!.split(' ').forEach((p) => fs.delete(p.slice(1, -1))), ok();
      return ok();
    },
    async upload(source, remote, options = {}) {
      const data = Buffer.isBuffer(source) ? source : Buffer.from(String(source));
      fs.set(remote, { data, mode: options.mode ?? 0o644 });
      calls.push(`${name}: upload ${remote} ${(options.mode ?? 0o644).toString(8)}`);
      return { skipped: false, sha256: '', bytes: data.length };
    },
    async download(remote) {
      const f = fs.get(remote);
      if (!f) throw new Error(`no ${remote}`);
      return f.data;
    },
    async close() {},
  };
}

test('kubeadm init, join credentials and joins: exact commands, 0600 configs, no token in argv or logs', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kx-k8s-cmd-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const full = fixtureSpec();
  const spec: ClusterSpec = { ...full, hosts: full.hosts.filter((h) => h.name !== 'w1') };
  const joinTasks = ['Initialize the first control plane', 'Fetch the admin kubeconfig', 'Create join credentials', 'Join control planes', 'Join workers'];
  const tasks = kubernetesTasks(spec).filter((task) => joinTasks.includes(task.name));
  assert.deepEqual(tasks.map((task) => task.name), joinTasks);
  const runtime = createClusterRuntime<ClusterSpec, SpecHost>({ spec, hosts: runtimeHostsFromSpec(spec) });
  setCatalogContext(runtime, { dataDir });
  const files = new Map<string, Fs>();
  const calls: string[] = [];
  const cluster = { nodes: new Set<string>() };
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: 'k8s-commands',
    pipeline: { name: 't', modules: [{ name: 'kubernetes', tasks }] },
    runtime,
    connectorFor: (h) => {
      if (!files.has(h.name)) files.set(h.name, new Map());
      return simulatedHost(h.name, files.get(h.name)!, cluster, calls);
    },
    onEvent: (e) => void events.push(e),
  });
  assert.equal(outcome.status, "succeeded", `${outcome.failure?.message}\n${calls.join("\n")}`);
  const run = calls.filter((c) => /kubeadm'|upload |rm -rf/.test(c));
  assert.deepEqual(run, [
    'cp1: upload /etc/kubernetes/kubeadm-config.yaml 600',
    "cp1: '/usr/local/bin/kubeadm' init '--config=/etc/kubernetes/kubeadm-config.yaml' --upload-certs",
    "cp1: '/usr/local/bin/kubeadm' init phase upload-certs --upload-certs '--config=/etc/kubernetes/kubeadm-config.yaml'",
    "cp1: '/usr/local/bin/kubeadm' token create --ttl=2h --print-join-command",
    'cp2: upload /etc/kubernetes/kubeadm-join.yaml 600',
    "cp2: '/usr/local/bin/kubeadm' join '--config=/etc/kubernetes/kubeadm-join.yaml'",
    `cp2: rm -rf -- ${q('/etc/kubernetes/kubeadm-join.yaml')}`,
    'w2: upload /etc/kubernetes/kubeadm-join.yaml 600',
    "w2: '/usr/local/bin/kubeadm' join '--config=/etc/kubernetes/kubeadm-join.yaml'",
    `w2: rm -rf -- ${q('/etc/kubernetes/kubeadm-join.yaml')}`,
  ]);
  assert.ok(!calls.some((c) => c.includes(TOKEN)), 'the token never appears in a command line');
  const logged = events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text).join('');
  assert.ok(!logged.includes(TOKEN) && !logged.includes('0123456789abcdef'), 'the token is never logged');
  const init = parse(files.get('cp1')!.get('/etc/kubernetes/kubeadm-config.yaml')!.data.toString().split('---\n')[0]!) as { certificateKey: string };
  assert.match(init.certificateKey, /^[0-9a-f]{64}$/);
  assert.equal(files.get('cp2')!.has('/etc/kubernetes/kubeadm-join.yaml'), false);
  assert.match(String(runtime.cache.get(CACHE_KEYS.kubeconfig)), /client-key-data/);
  assert.deepEqual([...cluster.nodes].sort(), ['cp1', 'cp2', 'w2']);
});
