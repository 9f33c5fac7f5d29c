import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expandHostRange, exportKubeKey, formatIssue, importKubeKey, mapSecrets, redactSpec, splitSecrets, validateSpec } from './index';
import { validDraft } from './fixtures/valid-spec';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('KubeKey import', () => {
  it('imports a realistic sample with ranges, roles, registry and missing keys', () => {
    const r = importKubeKey(fixture('kubekey-sample.yaml'));
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const spec = r.spec!;
    assert.equal(spec.name, 'sample');
    assert.deepEqual(spec.hosts.map((h) => [h.name, h.roles]), [
      ['node1', ['etcd', 'control-plane', 'worker']],
      ['node2', ['etcd', 'worker']],
      ['node3', ['etcd', 'worker']],
      ['node4', ['worker']],
      ['node5', ['worker']],
    ]);
    assert.deepEqual(spec.hosts[0]?.auth, { type: 'password', password: 'Qcloud@123' });
    assert.equal(spec.hosts[0]?.sudoPassword, 'Qcloud@123');
    assert.equal(spec.hosts[3]?.port, 2222);
    assert.equal(spec.hosts[0]?.internalAddress, undefined);
    assert.equal(spec.kubernetes.clusterDomain, 'cluster.local');
    assert.equal(spec.etcd.type, 'kubexms');
    assert.deepEqual(spec.registry.privateRegistry, { url: 'https://dockerhub.kubekey.local', username: 'admin', password: 'Harbor12345' });
    assert.deepEqual(r.missingSecrets, [
      { path: 'hosts.node3.auth.privateKey', field: 'hosts.2.auth.privateKey', required: true, privateKeyPath: '~/.ssh/id_rsa' },
      { path: 'hosts.node4.auth.privateKey', field: 'hosts.3.auth.privateKey', required: true, privateKeyPath: '/home/ops/keys/node4' },
      { path: 'hosts.node5.auth.privateKey', field: 'hosts.4.auth.privateKey', required: true, privateKeyPath: '~/.ssh/id_rsa' },
    ]);
    // autoRenewCerts, multusCNI (off), namespaceOverride ("") and addons ([]) are all understood now
    assert.deepEqual(r.warnings, []);
    assert.equal(spec.kubernetes.autoRenewCerts, true);
    assert.equal(validateSpec(spec).ok, false);
  });

  it('accepts the legacy master group, zero-padded ranges and a second document', () => {
    const r = importKubeKey(fixture('kubekey-legacy-master.yaml'));
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(r.spec!.hosts.map((h) => h.roles.join()), ['etcd,control-plane', 'worker', 'worker']);
    assert.equal(r.spec!.kubernetes.version, 'v1.29.7');
    assert.equal(r.spec!.network.plugin, 'flannel');
    assert.deepEqual(r.spec!.hosts[0]?.auth, { type: 'password', password: 's3cret with spaces & $(dollar)' });
    assert.match(r.warnings.map((w) => w.message).join(), /ClusterConfiguration document was ignored/);
  });

  it('reports errors with line, column and field', () => {
    const r = importKubeKey(fixture('kubekey-errors.yaml'));
    assert.equal(r.ok, false);
    const lines = r.errors.map((e) => formatIssue(e, 'c.yaml'));
    for (const expected of [
      'c.yaml:4:9: metadata.name: must be a lowercase RFC 1123 label',
      'c.yaml:7:44: spec.hosts[0].port: must be between 1 and 65535',
      'c.yaml:8:12: spec.hosts[1].name: duplicate host name',
      'c.yaml:11:21: spec.roleGroups.control-plane[0]: no host named "node9"',
      'c.yaml:12:14: spec.roleGroups.worker[0]: bad host range "node[3:1]"',
      'c.yaml:14:14: spec.kubernetes.version: unsupported Kubernetes version',
      'c.yaml:15:23: spec.kubernetes.containerManager: only "containerd" is supported',
      'c.yaml:17:13: spec.network.plugin: must be one of: calico, flannel',
      'c.yaml:19:22: spec.network.kubeServiceCIDR: service CIDR overlaps the pod CIDR',
    ]) assert.ok(lines.some((l) => l.startsWith(expected)), `missing: ${expected}\n${lines.join('\n')}`);
  });

  it('reports YAML syntax errors with positions', () => {
    const r = importKubeKey('apiVersion: x\nkind: Cluster\nkind: Cluster\nspec: [\n');
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.line), [3, 5]);
  });

  it('refuses a YAML bomb, a huge file and deep nesting', () => {
    const bomb = importKubeKey(fixture('hostile/billion-laughs.yaml'));
    assert.match(bomb.errors[0]!.message, /alias/);
    const big = importKubeKey(`# ${'x'.repeat(1024 * 1024)}\n`);
    assert.match(big.errors[0]!.message, /larger than/);
    const deep = importKubeKey(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.match(deep.errors[0]!.message, /nested deeper/);
  });

  it('round-trips export → import without secrets', () => {
    const v = validateSpec(validDraft());
    assert.ok(v.ok);
    const pub = splitSecrets(v.spec).spec;
    const yaml = exportKubeKey(pub);
    for (const s of ['ssh-pass-2', 'sudo-pass-2', 'reg-pass-1', 'pp-1', 'PRIVATE KEY-----']) assert.ok(!yaml.includes(s), s);
    assert.match(yaml, /# secret not exported: SSH password/);
    const back = importKubeKey(yaml);
    assert.equal(back.ok, true, JSON.stringify(back.errors));
    // KubeKey has no inherited user: a host without one is written (and read back) as root
    const unset = (x: Parameters<typeof mapSecrets>[0]) => {
      const u = mapSecrets(x, () => ({ set: false })) as { hosts: Array<{ user?: string }> };
      return { ...u, hosts: u.hosts.map((h) => ({ ...h, user: h.user ?? 'root' })) };
    };
    assert.deepEqual(unset(redactSpec(back.spec!)), unset(pub));
    assert.deepEqual(back.missingSecrets.map((m) => m.path), [
      'hosts.n1.auth.privateKey', 'hosts.n2.auth.password', 'hosts.n2.sudoPassword', 'hosts.n3.auth.privateKey', 'registry.privateRegistry.password',
    ]);
  });
});

describe('host range errors', () => {
  const hostsYaml = (n: number) => Array.from({ length: n }, (_, i) => `  - {name: node${i + 1}, address: 10.0.0.${i + 1}, password: x}`).join('\n');
  const file = (groups: string, extra = '') =>
    `apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nmetadata: {name: c}\nspec:\n  hosts:\n${hostsYaml(3)}\n  roleGroups:\n${groups}\n  kubernetes: {version: v1.30.4${extra}}\n`;

  it('reports one error per range, naming it with a compact list', () => {
    const r = importKubeKey(file('    etcd: [node1]\n    master: [node1, "node[2:10]"]\n    worker: ["node[10:100]"]'));
    assert.deepEqual(r.errors.map((e) => formatIssue(e, 'c.yaml')), [
      'c.yaml:11:21: spec.roleGroups.master[1]: node[2:10]: 7 hosts not in spec.hosts: node4…node10',
      'c.yaml:12:14: spec.roleGroups.worker[0]: node[10:100]: 91 hosts not in spec.hosts: node10…node100',
    ]);
  });

  it('past the cap, repeats of one kind never hide another kind', () => {
    const many = Array.from({ length: 60 }, (_, i) => `"ghost${i}"`).join(', ');
    const r = importKubeKey(file(`    etcd: [node1]\n    master: [node1]\n    worker: [${many}]`, ', containerManager: docker'));
    const lines = r.errors.map((e) => e.message);
    assert.ok(lines.length < 10, lines.join('\n'));
    assert.ok(lines.some((l) => /only "containerd" is supported/.test(l)));
    assert.ok(lines.some((l) => /… and 57 more like: no host named "ghost59"/.test(l)), lines.join('\n'));
  });
});

describe('KubeKey internalLoadbalancer', () => {
  const file = (lb: string) => `apiVersion: kubekey.kubesphere.io/v1alpha2
kind: Cluster
metadata: {name: ha}
spec:
  hosts:
  - {name: cp1, address: 10.0.0.1, privateKeyPath: /k}
  - {name: w1, address: 10.0.0.2, privateKeyPath: /k}
  roleGroups: {etcd: [cp1], control-plane: [cp1], worker: [w1]}
  controlPlaneEndpoint:
    internalLoadbalancer: ${lb}
    domain: lb.kubesphere.local
    address: ""
    port: 6443
  kubernetes: {version: v1.31.4}
`;
  it('haproxy is taken, exported back, and anything else is refused at its line', () => {
    const r = importKubeKey(file('haproxy'));
    assert.equal(r.spec?.kubernetes.controlPlaneEndpoint.internalLoadbalancer, 'haproxy');
    assert.deepEqual(r.warnings, []);
    const v = validateSpec(r.spec, { secrets: 'ignore' });
    assert.ok(v.ok, JSON.stringify(v.errors));
    assert.match(exportKubeKey(splitSecrets(v.spec).spec), /controlPlaneEndpoint:\n(?: {4}\S.*\n)* {4}internalLoadbalancer: haproxy\n/);
    const vip = importKubeKey(file('kube-vip'));
    assert.equal(vip.ok, false);
    assert.deepEqual(vip.errors.map((e) => [e.source, e.line]), [['spec.controlPlaneEndpoint.internalLoadbalancer', 10]]);
  });
});

describe('expandHostRange', () => {
  it('expands KubeKey ranges', () => {
    assert.deepEqual(expandHostRange('node[2:4]'), { ok: true, names: ['node2', 'node3', 'node4'] });
    assert.deepEqual(expandHostRange('w[08:10]'), { ok: true, names: ['w08', 'w09', 'w10'] });
    assert.deepEqual(expandHostRange('node1'), { ok: true, names: ['node1'] });
    assert.equal(expandHostRange('node[0:1000]').ok, false);
    assert.equal(expandHostRange('node[2:1]').ok, false);
    assert.equal(expandHostRange('node[a:b]').ok, false);
    assert.equal(expandHostRange('n[1:2][3:4]').ok, false);
  });
});
