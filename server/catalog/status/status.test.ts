import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSpec } from '../../contracts/cluster-spec';
import type { HostStatus } from '../../contracts/cluster-status';
import { createCa, issueCert } from '../pki/x509';
import { CERT_MARK, parseCertDump } from '../common/cert-expiry';
import { sameVersion } from '../../contracts/cluster-status';
import { parseEtcd, parseStatus, statusScript, versionFrom } from './probe';
import { judge } from './verdict';

const spec = ClusterSpec.parse({
  name: 'st',
  kubernetes: { version: 'v1.31.4' },
  containerd: { version: 'v1.6.20' },
  etcd: { version: 'v3.4.23' },
  hosts: [
    { name: 'a', address: '198.51.100.40', user: 'root', auth: { type: 'password', password: 'x' }, roles: ['etcd', 'control-plane'] },
    { name: 'b', address: '198.51.100.41', user: 'root', auth: { type: 'password', password: 'x' }, roles: ['worker'] },
  ],
});
const [a, b] = spec.hosts as [ClusterSpec['hosts'][number], ClusterSpec['hosts'][number]];

// recorded from lab hosts (Debian bookworm, containerd/runc from Debian, etcd 3.4.23)
const STATUS_JSON = '[{"Endpoint":"https://198.51.100.40:2379","Status":{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":10276657743932975437,"raftIndex":8,"raftTerm":2,"raftAppliedIndex":8,"dbSizeInUse":16384}}]';
const out = [
  '', '@@kx os', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', 'ID=debian', 'VERSION_ID="12"',
  '@@kx kernel', '6.18.44-fc-v782',
  '@@kx version containerd', 'containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3',
  '@@kx version runc', 'runc version 1.1.5+ds1',
  '@@kx version etcd', 'etcd Version: 3.4.23',
  '@@kx version kubelet', '',
  '@@kx version kubeadm', '',
  '@@kx units',
  'Id=containerd.service', 'LoadState=loaded', 'ActiveState=active', 'UnitFileState=enabled', '',
  'Id=etcd.service', 'LoadState=loaded', 'ActiveState=failed', 'UnitFileState=enabled', '',
  'Id=kubelet.service', 'LoadState=not-found', 'ActiveState=inactive', 'UnitFileState=', '',
  '@@kx etcd-status', STATUS_JSON,
  '@@kx etcd-health', 'https://198.51.100.40:2379 is healthy: successfully committed proposal: took = 2.1ms',
  '@@kx disk', '/var/lib/etcd\t1048576\t524288',
  '@@kx certs', '',
].join('\n');

test('parseStatus reads versions, units, etcd ids (uint64 exactly), disks', () => {
  const s = parseStatus(spec, a, out);
  assert.equal(s.os, 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(s.kernel, '6.18.44-fc-v782');
  const by = Object.fromEntries(s.components.map((c) => [c.name, c]));
  assert.deepEqual([by.containerd?.installed, by.runc?.installed, by.etcd?.installed, by.kubelet?.installed], ['1.6.20~ds1', '1.1.5+ds1', '3.4.23', null]);
  assert.deepEqual([by.containerd?.service, by.etcd?.service, by.kubelet?.service, by.runc?.service], ['active', 'failed', 'not-found', null]);
  assert.equal(s.etcd?.memberId, 10276657743932975437n.toString(16));
  assert.equal(s.etcd?.isLeader, true);
  assert.equal(s.etcd?.healthy, true);
  assert.equal(s.etcd?.dbSizeBytes, 20480);
  assert.deepEqual(s.disks, [{ path: '/var/lib/etcd', sizeBytes: 1048576 * 1024, freeBytes: 524288 * 1024 }]);
});

test('an unhealthy member keeps the error line, not the JSON log noise', () => {
  const e = parseEtcd('', '{"level":"warn","msg":"retrying"}\nhttps://198.51.100.40:2379 is unhealthy: failed to commit proposal: context deadline exceeded\nError: unhealthy cluster');
  assert.equal(e.healthy, false);
  assert.equal(e.error, 'Error: unhealthy cluster');
  assert.equal(e.memberId, null);
});

test('versions: distribution suffixes and the v prefix do not count as drift', () => {
  assert.equal(versionFrom('Kubernetes v1.31.4'), 'v1.31.4');
  assert.ok(sameVersion('1.6.20~ds1', 'v1.6.20'));
  assert.ok(sameVersion('1.1.5+ds1', 'v1.1.5'));
  assert.ok(!sameVersion('1.7.24', 'v1.7.25'));
});

test('the script reads only what the roles need and quotes the data dirs', () => {
  const sa = statusScript(spec, a);
  const sb = statusScript(spec, b);
  assert.match(sa, /endpoint status -w json/);
  assert.doesNotMatch(sb, /etcdctl/);
  assert.match(sa, /'\/var\/lib\/etcd'/);
  assert.doesNotMatch(sb, /\/var\/lib\/etcd/);
});

test('certificates: expiry of each file, days left, unparsable files left out', async () => {
  const ca = await createCa('etcd-ca');
  const leaf = await issueCert(ca, { commonName: 'm', usage: 'server' });
  const text = `${CERT_MARK}/x/ca.pem\n${ca.cert}\n${CERT_MARK}/x/leaf.pem\n${leaf.cert}${CERT_MARK}/x/bad.pem\nnot a cert\n`;
  const certs = parseCertDump(text, new Date(Date.now() + 3640 * 86_400_000));
  assert.deepEqual(certs.map((c) => c.path), ['/x/ca.pem', '/x/leaf.pem']);
  assert.ok(certs.every((c) => c.daysLeft >= 9 && c.daysLeft <= 10), JSON.stringify(certs));
  assert.match(certs[0]!.subject, /CN=etcd-ca/);
});

const host = (over: Partial<HostStatus>): HostStatus => ({
  name: 'a', address: 'x', roles: ['etcd'], reachable: true, error: null, os: null, kernel: null,
  components: [{ name: 'etcd', installed: '3.4.23', spec: 'v3.4.23', unit: 'etcd.service', service: 'active' }],
  etcd: { memberId: '1', leaderId: '1', isLeader: true, healthy: true, dbSizeBytes: 1, version: '3.4.23', error: null },
  certs: [], disks: [], ...over,
});

test('verdicts: installed, not installed, partial, degraded with the differences named', () => {
  assert.deepEqual(judge([host({}), host({ name: 'b' })]), { verdict: 'installed', differences: [] });
  const none = host({ components: [{ name: 'etcd', installed: null, spec: 'v3.4.23', unit: 'etcd.service', service: 'not-found' }], etcd: null });
  assert.equal(judge([none, { ...none, name: 'b' }]).verdict, 'not installed');
  assert.deepEqual(judge([host({}), { ...none, name: 'b' }]), { verdict: 'partially installed', differences: ['b: etcd not installed, spec says 3.4.23'] });
  const stopped = host({ name: 'b', components: [{ name: 'etcd', installed: '3.4.23', spec: 'v3.4.23', unit: 'etcd.service', service: 'inactive' }] });
  stopped.etcd = { ...stopped.etcd!, healthy: false, error: 'connection refused' };
  assert.deepEqual(judge([host({}), stopped]), { verdict: 'degraded', differences: ['b: etcd.service is inactive', 'b: etcd member unhealthy (connection refused)'] });
  const drift = host({ name: 'n22', components: [{ name: 'etcd', installed: '3.4.22', spec: 'v3.4.23', unit: 'etcd.service', service: 'active' }] });
  assert.deepEqual(judge([drift]).differences, ['n22: etcd 3.4.22 installed, spec says 3.4.23']);
  const gone = host({ name: 'c', reachable: false, error: 'connect ECONNREFUSED', components: [] });
  assert.deepEqual(judge([host({}), gone]), { verdict: 'degraded', differences: ['c: unreachable (connect ECONNREFUSED)'] });
  const expiring = host({ certs: [{ path: '/p.pem', subject: 'CN=x', notBefore: '', notAfter: '', daysLeft: 3 }] });
  assert.deepEqual(judge([expiring]).differences, ['a: /p.pem expires in 3 days']);
});
