import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOsRelease } from '../common/os-release';
import {
  evaluateClock, evaluateCommands, evaluateCpu, evaluateDisk, evaluateHostname, evaluateMemory, evaluateOs, evaluatePorts, isRfc1123Hostname, requiredPorts,
} from './checks';
import type { Listener, ProcessInfo } from './facts';

const prefs = { minCpuControlPlane: 2, minMemControlPlaneMb: 2048, minCpuWorker: 1, minMemWorkerMb: 1024, maxTimeSkewSeconds: 30, minDiskGb: 10, firewall: 'check' as const };
const os = (id: string, version: string, like = '') => parseOsRelease(`ID=${id}\nVERSION_ID="${version}"\nID_LIKE="${like}"\nPRETTY_NAME="${id} ${version}"`);

test('OS support list: majors for RHEL-likes, exact for Debian/Ubuntu, derivatives warn', () => {
  assert.equal(evaluateOs(os('ubuntu', '22.04')).status, 'passed');
  assert.equal(evaluateOs(os('ubuntu', '23.10')).status, 'failed');
  assert.equal(evaluateOs(os('debian', '12')).status, 'passed');
  assert.equal(evaluateOs(os('debian', '10')).status, 'failed');
  assert.equal(evaluateOs(os('rocky', '9.3')).status, 'passed');
  assert.equal(evaluateOs(os('almalinux', '8.10')).status, 'passed');
  assert.equal(evaluateOs(os('centos', '7')).status, 'failed');
  const mint = evaluateOs(os('linuxmint', '21.3', 'ubuntu debian'));
  assert.equal(mint.status, 'warning');
  assert.match(mint.measured, /like ubuntu/);
  assert.equal(evaluateOs(os('arch', '')).status, 'failed');
});

test('CPU and memory minima depend on the role; memory within 10 % warns', () => {
  assert.deepEqual(evaluateCpu(1, ['control-plane'], prefs), { check: 'cpu', status: 'failed', measured: '1', expected: '>= 2 (control-plane)' });
  assert.equal(evaluateCpu(1, ['worker'], prefs).status, 'passed');
  assert.equal(evaluateCpu(null, ['worker'], prefs).status, 'failed');
  assert.equal(evaluateMemory(2048 * 1024, ['control-plane'], prefs).status, 'passed');
  assert.equal(evaluateMemory(1950 * 1024, ['control-plane'], prefs).status, 'warning');
  const low = evaluateMemory(1024 * 1024, ['etcd', 'control-plane'], prefs);
  assert.equal(low.status, 'failed');
  assert.equal(low.measured, '1024 MiB (1.00 GiB)');
  assert.equal(evaluateMemory(1024 * 1024, ['worker'], prefs).status, 'passed');
});

test('required ports by role', () => {
  assert.deepEqual(requiredPorts(['etcd', 'control-plane']), [2379, 2380, 6443, 10250, 10257, 10259]);
  assert.deepEqual(requiredPorts(['worker']), [10250]);
  assert.deepEqual(requiredPorts(['etcd']), [2379, 2380]);
  assert.deepEqual(requiredPorts([]), []);
});

test('ports: a foreign listener fails, kubexms own etcd unit passes, an etcd outside etcd.service fails', () => {
  const l = (port: number, name: string, pid: number): Listener => ({ address: '*', port, processes: [{ name, pid }] });
  const procs = new Map<number, ProcessInfo>([
    [1, { comm: 'etcd', cgroup: '/system.slice/etcd.service' }],
    [2, { comm: 'python3', cgroup: '/system.slice/web.service' }],
    [3, { comm: 'etcd', cgroup: '/user.slice/session-1.scope' }],
  ]);
  const ok = evaluatePorts([l(2379, 'etcd', 1), l(2380, 'etcd', 1), l(22, 'sshd', 9)], procs, ['etcd']);
  assert.equal(ok.status, 'passed');
  assert.match(ok.measured, /0 of 2 free; 2379 \(etcd, already running\); 2380/);
  const busy = evaluatePorts([l(10250, 'python3', 2)], procs, ['worker']);
  assert.equal(busy.status, 'failed');
  assert.equal(busy.measured, '10250 in use by python3 pid 2');
  assert.equal(evaluatePorts([l(2379, 'etcd', 3)], procs, ['etcd']).status, 'failed');
  assert.equal(evaluatePorts(null, procs, ['etcd']).status, 'warning');
});

test('hostname: RFC 1123 lowercase and unique (case-insensitively) across hosts', () => {
  assert.equal(isRfc1123Hostname('node-1.example.com'), true);
  assert.equal(isRfc1123Hostname('Node1'), false);
  assert.equal(isRfc1123Hostname('-a'), false);
  assert.equal(isRfc1123Hostname('a_b'), false);
  const names = new Map([['a', 'node1'], ['b', 'node1'], ['c', 'node3'], ['d', 'Bad_Name']]);
  assert.deepEqual(evaluateHostname('a', names), { check: 'hostname', status: 'failed', measured: 'node1, also the hostname of b', expected: 'lowercase RFC 1123, unique in the cluster' });
  assert.equal(evaluateHostname('c', names).status, 'passed');
  assert.match(evaluateHostname('d', names).measured, /not a lowercase RFC 1123/);
});

test('clock: the sample with the smallest round trip decides, its half round trip is forgiven', () => {
  assert.equal(evaluateClock([{ offsetMs: 31_000, rttMs: 10 }], 30).status, 'failed');
  assert.equal(evaluateClock([{ offsetMs: -30_500, rttMs: 1200 }], 30).status, 'passed');
  const r = evaluateClock([{ offsetMs: 90_000, rttMs: 900 }, { offsetMs: 2_000, rttMs: 4 }], 30);
  assert.equal(r.status, 'passed');
  assert.equal(r.measured, '2.000 s (±0.002 s)');
  assert.equal(evaluateClock([], 30).status, 'failed');
});

test('commands: missing ones name the package for the OS family; only ebtables missing is a warning', () => {
  const all = { conntrack: '/usr/sbin/conntrack', socat: '/usr/bin/socat', ipset: '/usr/sbin/ipset', ebtables: '/usr/sbin/ebtables', iptables: '/usr/sbin/iptables' };
  assert.equal(evaluateCommands(all, os('debian', '12')).status, 'passed');
  const rocky = evaluateCommands({ ...all, conntrack: null, socat: null }, os('rocky', '9.3', 'rhel centos fedora'));
  assert.equal(rocky.status, 'failed');
  assert.equal(rocky.measured, 'missing: conntrack (dnf install conntrack-tools), socat (dnf install socat)');
  const deb = evaluateCommands({ ...all, ebtables: null }, os('ubuntu', '22.04', 'debian'));
  assert.equal(deb.status, 'warning');
  assert.equal(deb.measured, 'missing: ebtables (apt install ebtables)');
  const noSysctl = evaluateCommands({ ...all, sysctl: null, modprobe: null }, os('debian', '12'));
  assert.equal(noSysctl.status, 'failed', 'the tools kubexms itself runs are required too');
  assert.equal(noSysctl.measured, 'missing: sysctl (apt install procps), modprobe (apt install kmod)');
});

test('disk: every path must have the minimum free', () => {
  const gib = 1024 * 1024;
  assert.equal(evaluateDisk([{ path: '/', mount: '/', availKb: 20 * gib }, { path: '/var/lib', mount: '/var/lib', availKb: 11 * gib }], 10).status, 'passed');
  const low = evaluateDisk([{ path: '/', mount: '/', availKb: 20 * gib }, { path: '/var/lib', mount: '/var/lib', availKb: 5 * gib }], 10);
  assert.equal(low.status, 'failed');
  assert.equal(low.measured, '/: 20.00 GiB free, /var/lib: 5.00 GiB free');
  assert.equal(evaluateDisk([], 10).status, 'failed');
});

test('package sources: nothing to install passes; offline with no usable source is refused with each source and why', async () => {
  const { evaluatePackageSources } = await import('./package-sources');
  assert.equal(evaluatePackageSources({ family: 'debian', missing: [], sources: [] }).status, 'passed');
  const off = evaluatePackageSources({ family: 'debian', missing: ['chrony', 'nfs-common'], sources: [{ uri: 'http://deb.debian.org/debian', usable: false, why: 'deb.debian.org: no address' }] });
  assert.equal(off.status, 'failed');
  assert.equal(off.measured, 'chrony nfs-common to install, but no package source can be used: http://deb.debian.org/debian (deb.debian.org: no address)');
  assert.match(evaluatePackageSources({ family: 'rhel', missing: ['nfs-utils'], sources: [] }).measured, /no package source can be used: none configured$/);
  const local = evaluatePackageSources({ family: 'debian', missing: ['chrony'], sources: [{ uri: 'http://deb.debian.org/debian', usable: false, why: 'x' }, { uri: 'file:/srv/repo', usable: true, why: 'local directory' }] });
  assert.deepEqual([local.status, local.measured], ['passed', 'chrony to install from file:/srv/repo']);
  assert.equal(evaluatePackageSources({ family: 'other', missing: ['x'], sources: [] }).status, 'failed');
});
