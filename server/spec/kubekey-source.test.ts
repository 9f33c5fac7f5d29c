import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ClusterSpecPublic } from '../contracts/cluster-spec';
import { importKubeKey, redactSpec } from './index';
import { exportOverSource, scrubSource } from './kubekey-source';

const text = readFileSync(new URL('./fixtures/kubekey-roundtrip.yaml', import.meta.url), 'utf8');
const imported = () => {
  const r = importKubeKey(text);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  return structuredClone(redactSpec(r.spec!)) as ClusterSpecPublic;
};
const changedLines = (a: string, b: string) => {
  const x = a.split('\n');
  const y = b.split('\n');
  return { removed: x.filter((l) => !y.includes(l)), added: y.filter((l) => !x.includes(l)) };
};

describe('KubeKey round trip', () => {
  it('keeps the file, comments and order included, with every secret blanked', () => {
    const kept = scrubSource(text)!;
    assert.ok(!kept.includes('Sup3r$ecret'));
    assert.deepEqual(changedLines(text, kept), {
      removed: ['    password: "Sup3r$ecret"', '  - {name: w2, address: 10.1.0.22, user: ops, password: "Sup3r$ecret"}'],
      added: ['    password: "" # secret not exported', '  - {name: w2, address: 10.1.0.22, user: ops, password: ""}'],
    });
  });

  it('exports an unchanged imported cluster as the user\'s file', () => {
    const kept = scrubSource(text)!;
    assert.equal(exportOverSource(kept, imported()), kept);
  });

  it('changes only what was changed in kubexms: ranges, comments and the legacy group name stay', () => {
    const kept = scrubSource(text)!;
    const spec = imported();
    spec.kubernetes.version = 'v1.31.4';
    spec.hosts.push({ ...spec.hosts[3]!, name: 'w3', address: '10.1.0.23' });
    spec.hosts[0]!.labels = { zone: 'a' };
    const out = exportOverSource(kept, spec)!;
    assert.deepEqual(changedLines(kept, out), {
      removed: [
        '  - {name: cp1, address: 10.1.0.11, internalAddress: 10.1.0.11, privateKeyPath: "~/.ssh/id_ed25519"}',
        '    version: v1.30.4   # pinned by change board',
      ],
      added: [
        '  - {name: cp1, address: 10.1.0.11, internalAddress: 10.1.0.11, privateKeyPath: "~/.ssh/id_ed25519", labels: {zone: a}}',
        '  - name: w3',
        '    address: 10.1.0.23',
        '    internalAddress: 10.1.0.23',
        '    port: 22',
        '    password: ""',
        '    - w3',
        '    version: v1.31.4 # pinned by change board',
      ],
    });
    assert.equal(out.split('\n').length, kept.split('\n').length + 7);
    assert.match(out, /- cp\[1:2\]\n {4}master: {3}# the legacy name stays\n {4}- cp\[1:2\]/);
    assert.match(out, /- w\[1:2\] {2}# all workers\n {4}- w3/);
    const back = importKubeKey(out);
    assert.equal(back.ok, true, JSON.stringify(back.errors));
    assert.deepEqual(back.spec!.hosts.map((h) => [h.name, h.roles.join()]).at(-1), ['w3', 'worker']);
    assert.equal(back.spec!.kubernetes.version, 'v1.31.4');
  });

  it('removing a host from a range lists the rest by name and drops the host', () => {
    const spec = imported();
    spec.hosts = spec.hosts.filter((h) => h.name !== 'cp2');
    const out = exportOverSource(scrubSource(text)!, spec)!;
    assert.ok(!out.includes('cp[1:2]') && !out.includes('name: cp2'));
    const back = importKubeKey(out);
    assert.equal(back.ok, true, JSON.stringify(back.errors));
    assert.deepEqual(back.spec!.hosts.map((h) => [h.name, h.roles.join()]), [['cp1', 'etcd,control-plane'], ['w1', 'worker'], ['w2', 'worker']]);
    assert.match(out, /# Production cluster, owned by the platform team\./);
  });
});

describe('the kept source never keeps a secret written in a roundabout way', () => {
  it('blanks a secret given through an anchor and alias, registry auths, and …Key fields; keeps paths', () => {
    const hostile = [
      'apiVersion: kubekey.kubesphere.io/v1alpha2',
      'kind: Cluster',
      'metadata: {name: c}',
      'x-shared: &pw "Hunter2-anchored"',
      'spec:',
      '  hosts:',
      '  - {name: a, address: 10.0.0.1, user: ops, password: *pw, privateKeyPath: "~/.ssh/id_ed25519"}',
      '  - name: b',
      '    address: 10.0.0.2',
      '    password: &again "Second-secret"',
      '  registry:',
      '    auths:',
      '      "reg.example.com":',
      '        username: bot',
      '        auth: Ym90OnMzY3JldC1hdXRo',
      '        certsPath: /etc/certs',
      '  kubernetes:',
      '    certificateKey: 0123456789abcdef-cert-key',
      '  other: *again',
      '',
    ].join('\n');
    const kept = scrubSource(hostile)!;
    for (const secret of ['Hunter2-anchored', 'Second-secret', 'Ym90OnMzY3JldC1hdXRo', '0123456789abcdef-cert-key']) assert.ok(!kept.includes(secret), `${secret} kept:\n${kept}`);
    for (const kept1 of ['privateKeyPath: "~/.ssh/id_ed25519"', 'username: bot', 'certsPath: /etc/certs', 'address: 10.0.0.2']) assert.ok(kept.includes(kept1), `${kept1} lost:\n${kept}`);
  });
});
