import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { defaultServer, withServer } from './download-kubeconfig';

test('withServer replaces every cluster server, quoted or not, and nothing else', () => {
  const text = 'clusters:\n- cluster:\n    server: "https://lb.kubexms.local:6443"\n  name: a\n- cluster: {server: https://old:6443}\n  name: b\nusers:\n- name: u\n  user: {token: "server: keep"}\n';
  const out = withServer(text, 'https://[fd00::1]:6443');
  const doc = parse(out) as { clusters: Array<{ cluster: { server: string } }>; users: Array<{ user: { token: string } }> };
  assert.deepEqual(doc.clusters.map((c) => c.cluster.server), ['https://[fd00::1]:6443', 'https://[fd00::1]:6443']);
  assert.equal(doc.users[0]!.user.token, 'server: keep');
  assert.throws(() => withServer('apiVersion: v1\nclusters: []\n', 'https://x:6443'), /no cluster with a server/);
});

const spec = ClusterSpecPublic.parse({
  name: 'k',
  kubernetes: { version: 'v1.31.4', controlPlaneEndpoint: { port: 8443 } },
  hosts: ['a', 'b', 'c'].map((name, i) => ({ name, address: `10.0.0.${i + 1}`, user: 'root', auth: { type: 'password', password: { set: true } }, sudoPassword: { set: false }, roles: i < 2 ? ['control-plane', 'etcd'] : ['etcd', 'worker'] })),
});
const seen = (name: string, reachable: boolean, kubelet: string | null) => ({
  name, address: '', roles: [], reachable, error: null, os: null, kernel: null, etcd: null, certs: [], disks: [],
  components: kubelet ? [{ name: 'kubelet' as const, installed: 'v1.31.4', spec: 'v1.31.4', unit: 'kubelet.service', service: kubelet }] : [],
});

test('defaultServer: a control plane with kubelet running, else one that answered, else the first', () => {
  const status = (hosts: ReturnType<typeof seen>[]) => ({ verdict: 'degraded' as const, differences: [], takenAt: 0, runId: 1, hosts });
  assert.equal(defaultServer(spec, null), 'https://10.0.0.1:8443');
  assert.equal(defaultServer(spec, status([seen('a', false, null), seen('b', true, 'inactive')])), 'https://10.0.0.2:8443');
  assert.equal(defaultServer(spec, status([seen('a', true, 'failed'), seen('b', true, 'active')])), 'https://10.0.0.2:8443');
});
