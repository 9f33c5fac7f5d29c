import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINERD_VERSIONS, DEFAULT_CONTAINERD_VERSION, DEFAULT_ETCD_VERSION, DEFAULT_KUBERNETES_VERSION, ETCD_VERSIONS, KUBERNETES_VERSIONS, MIRROR_ONLY_VERSIONS } from '../contracts/versions';
import { knownVersions } from './table';

const ARCHES = ['amd64', 'arm64'] as const;

test('every version the spec accepts has a sha256 in the artifact table, or is a declared mirror-only version', () => {
  for (const arch of ARCHES) {
    assert.deepEqual([...KUBERNETES_VERSIONS], knownVersions('kubeadm', arch));
    assert.deepEqual(knownVersions('kubelet', arch), knownVersions('kubeadm', arch));
    assert.deepEqual(ETCD_VERSIONS.filter((v) => !MIRROR_ONLY_VERSIONS.etcd.includes(v as never)), knownVersions('etcd', arch));
    assert.deepEqual(CONTAINERD_VERSIONS.filter((v) => !MIRROR_ONLY_VERSIONS.containerd.includes(v as never)), knownVersions('containerd', arch));
  }
  assert.ok(KUBERNETES_VERSIONS.includes(DEFAULT_KUBERNETES_VERSION));
  assert.ok(ETCD_VERSIONS.includes(DEFAULT_ETCD_VERSION));
  assert.ok(CONTAINERD_VERSIONS.includes(DEFAULT_CONTAINERD_VERSION));
});
