import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Loose, validDraft } from '../spec/fixtures/valid-spec';
import { LIMITS } from './spec-fields';
import { hostsByRole } from './spec-hosts';
import { validateSpec } from './spec-validate';

type Draft = Loose;
const check = (mutate: (s: Draft) => void, secrets: 'require' | 'ignore' = 'require') => {
  const s = validDraft() as Draft;
  mutate(s);
  return validateSpec(s, { secrets });
};
const paths = (r: { errors: Array<{ path: string }> }) => r.errors.map((e) => e.path).sort();

describe('ClusterSpecInput', () => {
  it('accepts a valid spec and fills defaults', () => {
    const r = validateSpec(validDraft());
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.ok(r.spec);
    assert.equal(r.spec.kubernetes.clusterDomain, 'cluster.local');
    assert.equal(r.spec.kubernetes.containerRuntime, 'containerd');
    assert.deepEqual(r.spec.kubernetes.controlPlaneEndpoint, { domain: 'lb.kubexms.local', port: 6443 });
    assert.deepEqual(r.spec.network, { plugin: 'calico', podCidr: '10.233.64.0/18', serviceCidr: '10.233.0.0/18' });
    assert.equal(r.spec.preflight.minMemControlPlaneMb, 2048);
    assert.equal(r.spec.preflight.firewall, 'check');
    assert.equal(r.spec.hosts[0]?.port, 22);
    assert.equal(r.spec.hosts[0]?.user, undefined, 'no user: the default user (root) applies when hosts are resolved');
    assert.deepEqual(r.warnings, []);
  });

  it('normalizes versions without the v prefix', () => {
    const r = check((s) => (s.kubernetes.version = '1.31.4'));
    assert.equal(r.spec?.kubernetes.version, 'v1.31.4');
  });

  it('allows overriding preflight minimums', () => {
    const r = check((s) => (s.preflight = { minMemControlPlaneMb: 512, firewall: 'disable' }));
    assert.equal(r.spec?.preflight.minMemControlPlaneMb, 512);
    assert.equal(r.spec?.preflight.minCpuControlPlane, 2);
  });

  it('reports field errors with exact paths', () => {
    const r = check((s) => {
      s.name = 'Demo';
      s.kubernetes.version = 'v1.27.1';
      s.etcd.version = 'v3.6.0';
      s.hosts[0].port = 0;
      s.hosts[0].user = 'Root';
      s.hosts[1].address = 'bad host';
      s.hosts[1].labels = { 'bad key!': 'x', ok: 'bad value!' };
      s.hosts[2].roles = ['etcd', 'etcd'];
      s.hosts[2].hostKeyFingerprint = 'MD5:aa';
      s.registry.mirrors = ['ftp://mirror'];
      s.registry.insecureRegistries = ['a b'];
      s.network = { plugin: 'weave', podCidr: '10.0.0.0/40' };
    });
    assert.equal(r.ok, false);
    assert.deepEqual(paths(r), [
      'etcd.version', 'hosts.0.port', 'hosts.0.user', 'hosts.1.address', 'hosts.1.labels.bad key!', 'hosts.1.labels.ok',
      'hosts.2.hostKeyFingerprint', 'hosts.2.roles', 'kubernetes.version', 'name', 'network.plugin', 'network.podCidr',
      'registry.insecureRegistries.0', 'registry.mirrors.0',
    ]);
    assert.match(r.errors.find((e) => e.path === 'kubernetes.version')!.message, /v1\.28\.x, v1\.29\.x, v1\.30\.x, v1\.31\.x/);
  });

  it('rejects newlines and NUL in single-line fields and unknown fields', () => {
    const r = check((s) => {
      s.kubernetes.clusterDomain = 'cluster.local\nx';
      s.registry.privateRegistry.username = 'bot\u0000';
      s.hosts[1].sudoPassword = 'a\nb';
      s.hosts[0].extra = 1;
    });
    assert.deepEqual(paths(r), ['hosts.0.extra', 'hosts.1.sudoPassword', 'kubernetes.clusterDomain', 'registry.privateRegistry.username']);
  });

  it('requires a control-plane and an etcd host, and warns for an even etcd count', () => {
    const none = check((s) => s.hosts.forEach((h: Draft) => (h.roles = ['worker'])));
    assert.deepEqual(none.errors.map((e) => e.message).sort(), [
      'at least one host must have the control-plane role',
      'at least one host must have the etcd role',
    ]);
    assert.ok(none.errors.every((e) => e.path === 'hosts'));
    const even = check((s) => (s.hosts[2].roles = ['worker']));
    assert.equal(even.ok, true);
    assert.deepEqual(even.warnings.map((w) => w.path), ['hosts']);
    assert.match(even.warnings[0]!.message, /2 etcd members/);
  });

  it('rejects duplicate names and duplicate address+port, allows same address on another port with distinct internal addresses', () => {
    const dup = check((s) => {
      s.hosts[1].name = 'n1';
      s.hosts[2].address = '198.51.100.11';
      s.hosts[2].port = 22;
    });
    assert.deepEqual(paths(dup), ['hosts.1.name', 'hosts.2.address']);
    const nat = check((s) => {
      s.hosts[1].address = '198.51.100.11';
      s.hosts[1].port = 2201;
    });
    assert.deepEqual(paths(nat), ['hosts.1.internalAddress']);
    const fixed = check((s) => {
      s.hosts[1].address = '198.51.100.11';
      s.hosts[1].port = 2201;
      s.hosts[1].internalAddress = '198.51.100.99';
    });
    assert.equal(fixed.ok, true, JSON.stringify(fixed.errors));
  });

  it('rejects overlapping CIDRs, misaligned CIDRs, and addresses inside them', () => {
    assert.deepEqual(paths(check((s) => (s.network = { podCidr: '10.0.0.0/16', serviceCidr: '10.0.128.0/20' }))), ['network.serviceCidr']);
    assert.deepEqual(paths(check((s) => (s.network = { podCidr: '10.233.64.0/18', serviceCidr: '10.233.0.0/17' }))), ['network.serviceCidr']);
    assert.deepEqual(paths(check((s) => (s.network = { podCidr: '10.233.65.0/18' }))), ['network.podCidr']);
    assert.deepEqual(paths(check((s) => (s.network = { serviceCidr: '10.0.0.0/8' }))), ['network.serviceCidr']);
    const inside = check((s) => {
      s.hosts[0].address = '10.233.70.1';
      s.hosts[2].internalAddress = '10.233.1.2';
      s.kubernetes.controlPlaneEndpoint = { address: '10.233.0.1' };
    });
    assert.deepEqual(paths(inside), ['hosts.0.address', 'hosts.2.internalAddress', 'kubernetes.controlPlaneEndpoint.address']);
    assert.match(inside.errors[0]!.message, /pod CIDR/);
  });

  it('reports cross-field errors together with field errors', () => {
    const r = check((s) => {
      s.name = 'BAD';
      s.hosts[1].name = 'n1';
    });
    assert.deepEqual(paths(r), ['hosts.1.name', 'name']);
  });

  it('enforces size limits', () => {
    const many = check((s) => (s.hosts = Array.from({ length: LIMITS.hosts + 1 }, (_, i) => ({ ...s.hosts[0], name: `h${i}`, address: `h${i}.example.com`, internalAddress: `10.1.${i >> 8}.${i & 255}` }))));
    assert.deepEqual(paths(many), ['hosts']);
    const bigKey = check((s) => (s.hosts[0].auth.privateKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${'A'.repeat(16 * 1024)}\n-----END OPENSSH PRIVATE KEY-----`));
    assert.deepEqual(paths(bigKey), ['hosts.0.auth.privateKey']);
    const longName = check((s) => (s.hosts[0].name = 'a'.repeat(64)));
    assert.deepEqual(paths(longName), ['hosts.0.name']);
    assert.equal(check((s) => (s.hosts[0].name = 'a'.repeat(63))).ok, true);
  });

  it('requires secrets by policy: required, known-stored, cleared', () => {
    const missing = check((s) => {
      delete s.hosts[0].auth.privateKey;
      delete s.hosts[1].auth.password;
      delete s.registry.privateRegistry.password;
    });
    assert.deepEqual(paths(missing), ['hosts.0.auth.privateKey', 'hosts.1.auth.password', 'registry.privateRegistry.password']);
    const s = validDraft() as Draft;
    delete s.hosts[0].auth.privateKey;
    s.hosts[1].auth.password = null;
    const known = validateSpec(s, { secrets: new Set(['hosts.n1.auth.privateKey', 'hosts.n2.auth.password']) });
    assert.deepEqual(paths(known), ['hosts.1.auth.password']);
    assert.match(known.errors[0]!.message, /cannot be cleared/);
    assert.equal(validateSpec(s, { secrets: 'ignore' }).ok, true);
  });

  it('accepts IPv6 and host names as addresses, a name only where kubelet and kubeadm need no IP', () => {
    const r = check((s) => {
      s.hosts[0].address = '2001:db8::1';
      s.hosts[1].address = 'node-2.example.com';
      s.hosts[1].internalAddress = '10.0.0.2';
    });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
  });

  it('refuses a host name as the node address of a Kubernetes node, on the field that supplies it', () => {
    const r = check((s) => {
      s.hosts[0].address = 'cp-1.example.com';
      s.hosts[1].internalAddress = 'node-2.internal';
    });
    assert.deepEqual(paths(r), ['hosts.0.address', 'hosts.1.internalAddress']);
    assert.match(r.errors.find((e) => e.path === 'hosts.0.address')!.message, /cp-1\.example\.com is a host name; a control-plane node needs an IP address/);
    const etcdOnly = check((s) => {
      s.hosts[2].roles = ['etcd'];
      s.hosts[2].address = 'etcd-3.example.com';
    });
    assert.equal(etcdOnly.ok, true, JSON.stringify(etcdOnly.errors));
  });

  it('internalLoadbalancer haproxy: no endpoint address, the API server port', () => {
    const ok = check((s) => (s.kubernetes.controlPlaneEndpoint = { internalLoadbalancer: 'haproxy' }));
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
    assert.deepEqual(ok.spec?.kubernetes.controlPlaneEndpoint, { domain: 'lb.kubexms.local', port: 6443, internalLoadbalancer: 'haproxy' });
    const bad = check((s) => (s.kubernetes.controlPlaneEndpoint = { internalLoadbalancer: 'haproxy', address: '10.0.0.100', port: 8443 }));
    assert.deepEqual(paths(bad), ['kubernetes.controlPlaneEndpoint.address', 'kubernetes.controlPlaneEndpoint.port']);
    assert.deepEqual(paths(check((s) => (s.kubernetes.controlPlaneEndpoint = { internalLoadbalancer: 'nginx' }))), ['kubernetes.controlPlaneEndpoint.internalLoadbalancer']);
    const external = check((s) => (s.kubernetes.controlPlaneEndpoint = { address: '10.0.0.100', port: 8443 }));
    assert.equal(external.ok, true, JSON.stringify(external.errors));
  });

  it('groups hosts by role', () => {
    const r = validateSpec(validDraft());
    assert.ok(r.ok);
    const by = hostsByRole(r.spec);
    assert.deepEqual(by.etcd.map((h) => h.name), ['n1', 'n2', 'n3']);
    assert.deepEqual(by['control-plane'].map((h) => h.name), ['n1']);
    assert.deepEqual(by.worker.map((h) => h.name), ['n2', 'n3']);
  });
});
