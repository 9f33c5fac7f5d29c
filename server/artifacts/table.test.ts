import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONTAINERD_VERSION, DEFAULT_ETCD_VERSION, DEFAULT_KUBERNETES_VERSION } from '../contracts/versions';
import { parseSha256Sums, resolveFromTable } from './resolve';
import { TABLE, knownVersions } from './table';
import { ARCHES, ArtifactError, COMPONENTS } from './types';

function refusal(fn: () => unknown): ArtifactError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ArtifactError, `expected ArtifactError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('artifact table', () => {
  it('holds only well-formed, distinct sha256 sums', () => {
    const seen = new Map<string, string>();
    for (const c of COMPONENTS) {
      for (const [v, pair] of Object.entries(TABLE[c].checksums)) {
        pair.forEach((sum, i) => {
          if (sum === '') return;
          const where = `${c} ${v} ${ARCHES[i]}`;
          assert.match(sum, /^[0-9a-f]{64}$/, where);
          assert.equal(seen.get(sum), undefined, `${where} repeats the sum of ${seen.get(sum)}`);
          seen.set(sum, where);
        });
      }
    }
    assert.ok(seen.size > 400);
  });

  it('resolves the spec defaults on both architectures', () => {
    for (const arch of ARCHES) {
      assert.equal(resolveFromTable({ component: 'etcd', version: DEFAULT_ETCD_VERSION, arch }).trust, 'table');
      assert.equal(resolveFromTable({ component: 'containerd', version: DEFAULT_CONTAINERD_VERSION, arch }).trust, 'table');
      for (const c of ['kubeadm', 'kubelet', 'kubectl'] as const) resolveFromTable({ component: c, version: DEFAULT_KUBERNETES_VERSION, arch });
    }
  });

  it('gives the official URL, sum and layout of a known version, with or without the v', () => {
    const ref = resolveFromTable({ component: 'etcd', version: 'v3.5.16', arch: 'amd64' });
    assert.equal(ref.url, 'https://github.com/etcd-io/etcd/releases/download/v3.5.16/etcd-v3.5.16-linux-amd64.tar.gz');
    assert.equal(ref.sha256, 'b414b27a5ad05f7cb01395c447c85d3227e3fb1c176e51757a283b817f645ccc');
    assert.deepEqual(ref.layout, { kind: 'tar', members: ['etcd-v3.5.16-linux-amd64/etcd', 'etcd-v3.5.16-linux-amd64/etcdctl'] });
    assert.deepEqual(resolveFromTable({ component: 'etcd', version: '3.5.16', arch: 'amd64' }), ref);
    const arm = resolveFromTable({ component: 'containerd', version: 'v1.7.24', arch: 'arm64' });
    assert.equal(arm.filename, 'containerd-1.7.24-linux-arm64.tar.gz');
    assert.equal(arm.sha256, '420406d2b34ebb422ab3755fbeede59bf3bfcfccf5cfa584b558c93769d99064');
    const kubelet = resolveFromTable({ component: 'kubelet', version: 'v1.31.4', arch: 'amd64' });
    assert.equal(kubelet.url, 'https://dl.k8s.io/release/v1.31.4/bin/linux/amd64/kubelet');
    assert.deepEqual(kubelet.layout, { kind: 'binary', name: 'kubelet' });
  });

  it('refuses an unknown version with a message naming component, version and arch', () => {
    const e = refusal(() => resolveFromTable({ component: 'etcd', version: 'v3.4.99', arch: 'amd64' }));
    assert.match(e.message, /^etcd v3\.4\.99 \(amd64\) has no known sha256/);
    assert.match(e.message, /spec\.artifacts\.mirror/);
    assert.deepEqual([e.component, e.version, e.arch, e.kind], ['etcd', 'v3.4.99', 'amd64', 'command']);
  });

  it('refuses the Debian-built test versions without a mirror', () => {
    for (const [component, version] of [['etcd', 'v3.4.23'], ['containerd', 'v1.6.20'], ['runc', 'v1.1.5'], ['cni-plugins', 'v1.1.1']] as const) {
      const e = refusal(() => resolveFromTable({ component, version, arch: 'amd64' }));
      assert.match(e.message, new RegExp(`^${component} ${version.replaceAll('.', '\\.')} \\(amd64\\)`));
    }
  });

  it('refuses unknown components, architectures, malformed versions and manifests without sums', () => {
    assert.match(refusal(() => resolveFromTable({ component: 'docker', version: 'v1.0.0', arch: 'amd64' })).message, /unknown artifact component "docker"/);
    assert.match(refusal(() => resolveFromTable({ component: 'etcd', version: 'v3.5.16', arch: 's390x' })).message, /etcd v3\.5\.16: unsupported architecture "s390x"/);
    assert.match(refusal(() => resolveFromTable({ component: 'etcd', version: 'latest', arch: 'amd64' })).message, /invalid version "latest"/);
    assert.match(refusal(() => resolveFromTable({ component: 'calico', version: 'v3.28.0', arch: 'amd64' })).message, /^calico v3\.28\.0 \(amd64\).*Known calico versions for amd64: none/);
  });

  it('lists known versions in version order', () => {
    const etcd = knownVersions('etcd', 'amd64');
    assert.equal(etcd[0], 'v3.4.13');
    assert.ok(etcd.indexOf('v3.5.9') < etcd.indexOf('v3.5.10'));
    assert.equal(etcd.at(-1), 'v3.5.27');
  });

  it('parses sha256sum output in text and binary mode', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = parseSha256Sums(`${a}  etcd/v1/amd64/x.tar.gz\n${b} *./runc/v1/amd64/runc.amd64\nnot a line\n`);
    assert.deepEqual([...sums], [['etcd/v1/amd64/x.tar.gz', a], ['runc/v1/amd64/runc.amd64', 'b'.repeat(64)]]);
  });
});
