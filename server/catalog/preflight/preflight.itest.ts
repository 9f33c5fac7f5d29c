import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { preflightOnly } from '../pipelines';
import { labExec, labSpec, runOnLab } from '../testing/lab';
import { collectPreflightReport } from './report';
import type { PreflightRow } from './report';

let hosts: LabHost[];
const row = (rows: PreflightRow[], host: string, check: string) => rows.find((r) => r.host === host && r.check === check);

before(async () => {
  hosts = await labHosts(3);
});
after(async () => {
  for (const h of hosts ?? []) await labControl.exec(h.index, 'systemctl stop kx-port-test.service etcd.service 2>/dev/null; rm -rf /run/kx-fake; true');
});

test('preflightOnly: every check on every host, values match what the hosts report themselves', async () => {
  const spec = labSpec(hosts);
  const run = await runOnLab({ spec, pipeline: preflightOnly(spec) });
  assert.equal(run.outcome.status, 'succeeded', run.outcome.failure?.message);
  const rows = collectPreflightReport(run.runtime);
  assert.equal(rows.length, hosts.length * 10);
  for (const h of hosts) {
    assert.ok(rows.filter((r) => r.host === h.name).every((r) => r.status === 'passed'), JSON.stringify(rows.filter((r) => r.host === h.name)));
    const nproc = (await labExec(h.index, 'nproc')).trim();
    const memKb = Number(/MemTotal:\s+(\d+)/.exec(await labExec(h.index, 'cat /proc/meminfo'))![1]);
    const pretty = /^PRETTY_NAME="?([^"\n]*)/m.exec(await labExec(h.index, 'cat /etc/os-release'))![1]!;
    const availKb = Number((await labExec(h.index, 'df -P -k / | tail -n 1')).trim().split(/\s+/)[3]);
    assert.equal(row(rows, h.name, 'cpu')?.measured, nproc);
    assert.equal(row(rows, h.name, 'memory')?.measured.split(' ')[0], String(Math.floor(memKb / 1024)));
    assert.ok(row(rows, h.name, 'os')?.measured.startsWith(pretty), row(rows, h.name, 'os')?.measured);
    assert.equal(row(rows, h.name, 'hostname')?.measured, (await labExec(h.index, 'hostname')).trim());
    const rootGiB = Number(/\/: ([\d.]+) GiB free/.exec(row(rows, h.name, 'disk')!.measured)![1]);
    assert.ok(Math.abs(rootGiB - availKb / 1024 / 1024) < 0.5, `disk ${rootGiB} GiB vs df ${availKb} kB`);
    const table = run.logs(h.name, 'Preflight report');
    assert.match(table, /HOST\s+CHECK\s+STATUS\s+MEASURED\s+EXPECTED/);
    assert.equal(table.split('\n').filter((l) => l.startsWith(`${h.name} `)).length, 10);
    assert.match(run.logs(h.name, 'Check memory'), /preflight Memory: PASSED/);
  }
});

test('a failing check fails its cell with the measured value, the other checks still run, the report fails the run', async () => {
  const spec = labSpec(hosts, { overrides: { preflight: { minMemWorkerMb: 10_000_000 } } });
  const run = await runOnLab({ spec, pipeline: preflightOnly(spec) });
  assert.equal(run.outcome.status, 'failed');
  const memMiB = Math.floor(Number(/MemTotal:\s+(\d+)/.exec(await labExec(hosts[1]!.index, 'cat /proc/meminfo'))![1]) / 1024);
  assert.match(run.outcome.failure!.message, new RegExp(`Memory: ${memMiB} MiB .* \\(expected >= 10000000 MiB \\(worker\\)\\)`));
  const rows = collectPreflightReport(run.runtime);
  for (const h of hosts.slice(1)) {
    assert.equal(run.status('Check memory', h.name), 'failed');
    assert.equal(run.status('Check disk space', h.name), 'succeeded');
    assert.equal(run.status('Preflight report', h.name), 'failed');
    assert.equal(row(rows, h.name, 'memory')?.status, 'failed');
  }
  assert.equal(run.status('Check memory', hosts[0]!.name), 'succeeded');
  assert.equal(run.status('Preflight report', hosts[0]!.name), 'succeeded');
});

test('ports (as root and as a sudo user): a foreign listener fails with its process; kubexms own etcd unit on 2379 passes', async () => {
  const [h1, h2] = [hosts[0]!, hosts[1]!];
  await labExec(h2.index, 'systemd-run --unit=kx-port-test python3 -m http.server 10250 >/dev/null 2>&1');
  await labExec(h1.index, 'mkdir -p /run/kx-fake && cp /usr/bin/python3 /run/kx-fake/etcd && systemd-run --unit=etcd /run/kx-fake/etcd -m http.server 2379 >/dev/null 2>&1');
  await labExec(h1.index, 'for i in $(seq 50); do ss -Hltn | grep -q ":2379 " && break; sleep 0.1; done');
  await labExec(h2.index, 'for i in $(seq 50); do ss -Hltn | grep -q ":10250 " && break; sleep 0.1; done');
  try {
    for (const user of ['root', 'kxuser'] as const) {
      const spec = labSpec(hosts, { user });
      const run = await runOnLab({ spec, pipeline: preflightOnly(spec) });
      const rows = collectPreflightReport(run.runtime);
      assert.equal(row(rows, h2.name, 'ports')?.status, 'failed');
      assert.match(row(rows, h2.name, 'ports')!.measured, /^10250 in use by python3 pid \d+$/, `as ${user}`);
      assert.equal(row(rows, h1.name, 'ports')?.status, 'passed');
      assert.match(row(rows, h1.name, 'ports')!.measured, /2379 \(etcd, already running\)/, `as ${user}`);
      assert.match(run.outcome.failure?.message ?? '', /Ports: 10250 in use by python3/);
    }
  } finally {
    await labControl.exec(h2.index, 'systemctl stop kx-port-test.service');
    await labControl.exec(h1.index, 'systemctl stop etcd.service; rm -rf /run/kx-fake');
  }
});

test('hostname: two hosts with the same hostname both fail', async () => {
  const h3 = hosts[2]!;
  await labExec(h3.index, `hostname ${hosts[1]!.name}`);
  try {
    const spec = labSpec(hosts);
    const run = await runOnLab({ spec, pipeline: preflightOnly(spec) });
    const rows = collectPreflightReport(run.runtime);
    assert.equal(row(rows, hosts[1]!.name, 'hostname')?.measured, `${hosts[1]!.name}, also the hostname of ${h3.name}`);
    assert.equal(row(rows, h3.name, 'hostname')?.status, 'failed');
    assert.equal(row(rows, hosts[0]!.name, 'hostname')?.status, 'passed');
  } finally {
    await labExec(h3.index, `hostname ${h3.name}`);
  }
});
