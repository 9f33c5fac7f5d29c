import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fstabSwapLines, parseDf, parseFacts, parseFirewall, parseMeminfo, parseSsListeners, parseSwaps } from './facts';

test('parseSsListeners reads IPv4, IPv6, wildcard and scoped addresses with their processes', () => {
  const lines = [
    'LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=88,fd=3))',
    'LISTEN 0      4096            [::]:2379         [::]:*    users:(("etcd",pid=501,fd=7),("etcd",pid=502,fd=7))',
    'LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=77,fd=14))',
    'LISTEN 0      50                 *:10250            *:*',
    'garbage',
    'UNCONN 0 0 0.0.0.0:68 0.0.0.0:*',
  ];
  assert.deepEqual(parseSsListeners(lines), [
    { address: '0.0.0.0', port: 22, processes: [{ name: 'sshd', pid: 88 }] },
    { address: '[::]', port: 2379, processes: [{ name: 'etcd', pid: 501 }, { name: 'etcd', pid: 502 }] },
    { address: '127.0.0.53%lo', port: 53, processes: [{ name: 'systemd-resolve', pid: 77 }] },
    { address: '*', port: 10250, processes: [] },
  ]);
});

test('meminfo, swaps, fstab and df parsers', () => {
  assert.equal(parseMeminfo(['MemTotal:       24684092 kB', 'MemFree: 1 kB'], 'MemTotal'), 24684092);
  assert.equal(parseMeminfo(['MemFree: 1 kB'], 'MemTotal'), null);
  assert.deepEqual(parseSwaps(['Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority', '/swapfile                               file\t\t2097148\t\t0\t\t-2', '/dev/zram0 partition 1000 0 100']), [
    { device: '/swapfile', sizeKb: 2097148 },
    { device: '/dev/zram0', sizeKb: 1000 },
  ]);
  assert.deepEqual(parseSwaps(['Filename Type Size Used Priority']), []);
  assert.deepEqual(
    fstabSwapLines(['# /swapfile none swap sw 0 0', 'UUID=1 / ext4 defaults 0 1', '/swapfile none swap sw 0 0', '  /dev/sdb2\tnone\tswap\tdefaults', '#kubexms-swap# /x none swap sw 0 0', '']),
    ['/swapfile none swap sw 0 0', '  /dev/sdb2\tnone\tswap\tdefaults'],
  );
  const df = ['Filesystem     1024-blocks     Used Available Capacity Mounted on', 'overlay          264212084 25355092  81035820      24% /', '/dev/sdb1 100 50 50 50% /var/lib'];
  assert.deepEqual(parseDf(df, ['/', '/var/lib']), [
    { path: '/', mount: '/', availKb: 81035820 },
    { path: '/var/lib', mount: '/var/lib', availKb: 50 },
  ]);
});

test('parseFirewall distinguishes absent, inactive and active', () => {
  assert.deepEqual(parseFirewall([]), { ufw: 'absent', firewalld: 'absent' });
  assert.deepEqual(parseFirewall(['ufw\tStatus: inactive', 'firewalld\tactive']), { ufw: 'inactive', firewalld: 'active' });
  assert.deepEqual(parseFirewall(['ufw\tStatus: active', 'firewalld\tinactive']), { ufw: 'active', firewalld: 'inactive' });
});

const SAMPLE = [
  '@@os', 'PRETTY_NAME="Ubuntu 22.04.4 LTS"', 'ID=ubuntu', 'ID_LIKE=debian', 'VERSION_ID="22.04"',
  '@@nproc', '4',
  '@@meminfo', 'MemTotal:        8000000 kB',
  '@@swaps', 'Filename Type Size Used Priority', '/swap.img file 4194300 0 -2',
  '@@fstab', '/swap.img none swap sw 0 0',
  '@@hostname', 'node-1',
  '@@listen', 'LISTEN 0 4096 *:2379 *:* users:(("etcd",pid=900,fd=3))',
  '@@processes', '900\tetcd\t/system.slice/etcd.service',
  '@@commands', 'conntrack\t/usr/sbin/conntrack', 'iptables\t/usr/sbin/iptables',
  '@@df', 'Filesystem 1024-blocks Used Available Capacity Mounted on', '/dev/sda1 100 10 90 10% /', '/dev/sda1 100 10 90 10% /',
  '@@firewall', 'ufw\tStatus: active',
  '@@end', '',
].join('\n');

test('parseFacts assembles every section', () => {
  const f = parseFacts(SAMPLE);
  assert.equal(f.os.id, 'ubuntu');
  assert.equal(f.cpus, 4);
  assert.equal(f.memTotalKb, 8000000);
  assert.equal(f.swapActiveKb, 4194300);
  assert.deepEqual(f.swapDevices, ['/swap.img']);
  assert.deepEqual(f.fstabSwapLines, ['/swap.img none swap sw 0 0']);
  assert.equal(f.hostname, 'node-1');
  assert.deepEqual(f.listeners, [{ address: '*', port: 2379, processes: [{ name: 'etcd', pid: 900 }] }]);
  assert.deepEqual(f.processes.get(900), { comm: 'etcd', cgroup: '/system.slice/etcd.service' });
  assert.deepEqual(f.commands, {
    conntrack: '/usr/sbin/conntrack', socat: null, ipset: null, ebtables: null, iptables: '/usr/sbin/iptables', ip: null, sysctl: null, modprobe: null, systemctl: null, sha256sum: null,
  });
  assert.deepEqual(f.disks.map((d) => d.path), ['/', '/var/lib']);
  assert.deepEqual(f.firewall, { ufw: 'active', firewalld: 'absent' });
});

test('parseFacts: no ss means listeners null; truncated output is refused', () => {
  assert.equal(parseFacts(SAMPLE.replace(/@@listen\n[^\n]*\n/, '@@listen\n!no-ss\n')).listeners, null);
  assert.throws(() => parseFacts(SAMPLE.replace('@@end', '')), /incomplete/);
});
