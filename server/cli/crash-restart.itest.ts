import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { labControl, labHosts, type LabHost } from '../../e2e/hosts/fixture';
import { ensureMirror } from '../../e2e/mirror/serve';
import { REPO_ROOT, exited, tempDataDir } from '../../e2e/support/server-process';
import { restartMarker } from '../catalog/common/restart';
import { kubexms, writeLabClusterFile } from './testing/cli-process';

// Done-when of issue 14: SIGKILL the CLI that runs createCluster in-process right after a config-writing step of
// containerd or etcd succeeded (before the restart step), rerun, and the host's daemon runs the new config.
let hosts: LabHost[];
let dir: string;
let dataDir: string;
let file: string;
let mirror: Awaited<ReturnType<typeof ensureMirror>>;

before(async () => {
  [hosts, mirror] = await Promise.all([labHosts(3), ensureMirror()]);
  dir = tempDataDir('kubexms-crash-');
  dataDir = path.join(dir, 'data');
  file = path.join(dir, 'cluster.yaml');
  writeLabClusterFile(file, 'crash-itest', hosts, labControl.paths().key, { etcdVersion: 'v3.4.23', containerdVersion: 'v1.6.20', artifactsMirror: mirror.url });
  for (const h of hosts) await labControl.exec(h.index, 'systemctl disable --now etcd containerd 2>/dev/null; rm -rf /var/lib/etcd /var/lib/kubexms; true');
});
after(async () => {
  await mirror?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const create = ['create', 'cluster', '-f', () => file, '--until', 'etcd', '--accept-new-host-keys', '-o', 'json'];
const args = () => create.map((a) => (typeof a === 'function' ? a() : a));

/** Starts createCluster in a CLI process and SIGKILLs it when `step` reports succeeded on some host. */
async function killAfter(step: string): Promise<{ runId: number; pid: number; host: string }> {
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/kubexms.mjs'), ...args()], {
    cwd: REPO_ROOT,
    env: { ...process.env, KUBEXMS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  let stderr = '';
  let runId = 0;
  let host = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  proc.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      const e = JSON.parse(buf.slice(0, nl)) as { type: string; runId?: number; step?: string; status?: string; host?: string };
      buf = buf.slice(nl + 1);
      if (e.type === 'run.created') runId = e.runId!;
      if (!host && e.type === 'step.status' && e.step === step && e.status === 'succeeded') {
        host = e.host!;
        proc.kill('SIGKILL');
      }
    }
  });
  const code = await exited(proc);
  assert.ok(host, `"${step}" never succeeded (exit ${code}): ${stderr}`);
  return { runId, pid: proc.pid!, host };
}

/** Seconds since the epoch (µs precision) when the unit's main process started, and when the file last changed. */
async function startedVsChanged(h: LabHost, unit: string, file: string): Promise<{ started: number; changed: number }> {
  const r = await labControl.exec(h.index, `date -d "$(systemctl show -P ExecMainStartTimestamp --timestamp=us+utc ${unit})" +%s.%6N; stat -c %.6Y ${file}`);
  const [started = '', changed = ''] = r.stdout.trim().split('\n');
  return { started: Number(started), changed: Number(changed) };
}

const CASES = [
  { step: 'Write containerd config, registry hosts and unit', unit: 'containerd.service', file: '/etc/containerd/config.toml' },
  { step: 'Configure etcd service', unit: 'etcd.service', file: '/etc/systemd/system/etcd.service' },
];

test('createCluster --until etcd installs; SIGKILL after each config write, a rerun restarts the unit onto the new file', async () => {
  const first = await kubexms(args(), dataDir, 300_000);
  assert.equal(first.code, 0, first.stderr);
  for (const c of CASES) {
    // the daemon keeps running while its file changes under it: a later write step has real work to do
    for (const h of hosts) await labControl.exec(h.index, `[ -f ${c.file} ] && echo '# changed behind kubexms' >> ${c.file}; true`);
    const killed = await killAfter(c.step);
    const h = hosts.find((x) => x.name === killed.host)!;
    const stale = await startedVsChanged(h, c.unit, c.file);
    assert.ok(stale.started < stale.changed, `killed before the restart: ${JSON.stringify(stale)}`);
    assert.equal((await labControl.exec(h.index, `test -e ${restartMarker(c.unit)}`)).code, 0, 'the pending restart is recorded on the host');

    const show = await kubexms(['runs', 'show', String(killed.runId)], dataDir);
    assert.match(show.stdout + show.stderr, /interrupted/);
    assert.match(show.stdout + show.stderr, new RegExp(`the kubexms CLI process \\(pid ${killed.pid}\\) that ran it in-process ended while this run was running`));

    const again = await kubexms(args(), dataDir, 300_000);
    assert.equal(again.code, 0, again.stderr);
    for (const x of hosts) {
      if ((await labControl.exec(x.index, `test -f ${c.file}`)).code !== 0) continue;
      const t = await startedVsChanged(x, c.unit, c.file);
      assert.ok(t.started > t.changed, `${x.name}: ${c.unit} started ${t.started}, ${c.file} changed ${t.changed}`);
      assert.equal((await labControl.exec(x.index, `test -e ${restartMarker(c.unit)}`)).code, 1, `${x.name}: marker removed after the restart`);
    }
  }
});
