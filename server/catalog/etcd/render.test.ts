import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSpec } from '../testing/fixture-spec';
import { etcdctlArgs, initialCluster, renderEtcdUnit } from './render';
import { etcdModule } from './tasks';

test('etcd unit: initial cluster from the spec, TLS for clients and peers, state new or existing', () => {
  const spec = fixtureSpec();
  assert.equal(initialCluster(spec), 'cp1=https://10.0.0.1:2380,cp2=https://10.0.0.2:2380,w1=https://10.0.0.3:2380');
  const unit = renderEtcdUnit(spec, 'cp2', { state: 'new', arch: 'amd64' });
  const flags = unit.match(/--[a-z-]+=\S+/g);
  assert.deepEqual(flags, [
    '--name=cp2',
    '--data-dir=/var/lib/etcd',
    '--listen-client-urls=https://10.0.0.2:2379,https://127.0.0.1:2379',
    '--advertise-client-urls=https://10.0.0.2:2379',
    '--listen-peer-urls=https://10.0.0.2:2380',
    '--initial-advertise-peer-urls=https://10.0.0.2:2380',
    '--initial-cluster=cp1=https://10.0.0.1:2380,cp2=https://10.0.0.2:2380,w1=https://10.0.0.3:2380',
    '--initial-cluster-state=new',
    '--initial-cluster-token=kubexms-prod',
    '--client-cert-auth=true',
    '--trusted-ca-file=/etc/ssl/etcd/ssl/ca.pem',
    '--cert-file=/etc/ssl/etcd/ssl/server.pem',
    '--key-file=/etc/ssl/etcd/ssl/server-key.pem',
    '--peer-client-cert-auth=true',
    '--peer-trusted-ca-file=/etc/ssl/etcd/ssl/ca.pem',
    '--peer-cert-file=/etc/ssl/etcd/ssl/peer.pem',
    '--peer-key-file=/etc/ssl/etcd/ssl/peer-key.pem',
    '--snapshot-count=10000',
    '--auto-compaction-retention=8',
  ]);
  assert.doesNotMatch(unit, /ETCD_UNSUPPORTED_ARCH/);
  assert.match(renderEtcdUnit(spec, 'w1', { state: 'existing', arch: 'arm64' }), /Environment=ETCD_UNSUPPORTED_ARCH=arm64\n[\s\S]*--initial-cluster-state=existing/);
  assert.throws(() => renderEtcdUnit(spec, 'w2', { state: 'new' }), /w2 is not an etcd member/);
});

test('etcdctl always carries the admin cert and bounded timeouts', () => {
  assert.deepEqual(etcdctlArgs(['https://10.0.0.1:2379']), [
    '/usr/local/bin/etcdctl',
    '--endpoints=https://10.0.0.1:2379',
    '--cacert=/etc/ssl/etcd/ssl/ca.pem',
    '--cert=/etc/ssl/etcd/ssl/admin.pem',
    '--key=/etc/ssl/etcd/ssl/admin-key.pem',
    '--dial-timeout=2s',
    '--command-timeout=5s',
  ]);
});

test('without a mirror, an etcd version with no known sha256 is refused while the module is built', () => {
  const spec = fixtureSpec();
  assert.doesNotThrow(() => etcdModule(spec));
  assert.throws(() => etcdModule({ ...spec, etcd: { ...spec.etcd, version: 'v3.4.23' } }), /etcd v3\.4\.23 \(amd64\) has no known sha256/);
});

test('etcd unit: KubeKey tuning fields become their etcd flags and dataDir the data directory', () => {
  const base = fixtureSpec();
  const spec = {
    ...base,
    etcd: {
      ...base.etcd, dataDir: '/data/etcd', heartbeatInterval: 250, electionTimeout: 5000, snapshotCount: 50000, autoCompactionRetention: 4,
      metrics: 'extensive' as const, quotaBackendBytes: 8589934592, maxRequestBytes: 1572864, maxSnapshots: 5, maxWals: 6, logLevel: 'warn' as const,
    },
  };
  const flags: string[] = renderEtcdUnit(spec, 'cp1', { state: 'new' }).match(/--[a-z-]+=\S+/g) ?? [];
  for (const f of ['--data-dir=/data/etcd', '--heartbeat-interval=250', '--election-timeout=5000', '--snapshot-count=50000', '--auto-compaction-retention=4', '--metrics=extensive',
    '--quota-backend-bytes=8589934592', '--max-request-bytes=1572864', '--max-snapshots=5', '--max-wals=6', '--log-level=warn']) assert.ok(flags.includes(f), `${f} in ${flags.join(' ')}`);
  assert.equal(flags.filter((f) => f.startsWith('--data-dir=')).length, 1);
});
