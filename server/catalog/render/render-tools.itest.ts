import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runtimeHostsFromSpec } from '../common/hosts';
import { artifactTextFrom, renderHostFiles, type HostFiles } from './host-files';

// What `spec render` prints is read by the tools that will read it on the hosts: etcd (its flags), containerd
// (config dump), chronyd -p, systemd-analyze verify (every unit), haproxy -c (on a lab host: its libraries are there).
let hosts: LabHost[];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let work: string;
let rendered: HostFiles[];
const bin = () => path.join(work, 'bin');

const spec = () => labSpec(hosts, {
  roles: [['etcd', 'control-plane'], ['etcd', 'worker'], ['etcd', 'worker']],
  overrides: {
    kubernetes: { version: 'v1.31.4', autoRenewCerts: true, controlPlaneEndpoint: { domain: 'lb.kubexms.local', port: 6443, internalLoadbalancer: 'haproxy' } },
    etcd: { version: 'v3.4.23', dataDir: '/srv/etcd', heartbeatInterval: 200, electionTimeout: 2000, snapshotCount: 20000, quotaBackendBytes: 4294967296, maxRequestBytes: 2097152, maxSnapshots: 4, maxWals: 3, logLevel: 'warn', metrics: 'extensive', autoCompactionRetention: 2 },
    registry: { mirrors: ['https://mirror.example'], insecureRegistries: ['reg.local:5000'], privateRegistry: { url: 'https://reg.example', username: 'u', password: 'p"w' } },
    system: { ntpServers: [hosts[0]!.name, 'ntp.example'], timezone: 'Europe/Berlin', preInstall: [], postInstall: [], rpms: [], debs: [], skipConfigureOS: false },
    artifacts: { mirror: mirror.url },
  },
});

const files = (name: string) => rendered.flatMap((h) => h.files.filter((f) => f.content !== null && f.kind !== 'command' && path.basename(f.path) === name).map((f) => ({ host: h.host, ...f, content: f.content! })));
const scratch = (host: string, p: string, content: string) => {
  const out = path.join(work, 'files', host, p);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, content);
  return out;
};
const tool = (cmd: string, args: string[], env: Record<string, string> = {}) => spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });

before(async () => {
  hosts = await labHosts(3);
  mirror = await ensureMirror();
  work = mkdtempSync(path.join(tmpdir(), 'kx-render-tools-'));
  mkdirSync(bin());
  const m = mirror.dir;
  execFileSync('tar', ['-xzf', path.join(m, 'etcd/v3.4.23/amd64/etcd-v3.4.23-linux-amd64.tar.gz'), '-C', bin(), '--strip-components=1']);
  const cd = readdirSync(path.join(m, 'containerd'))[0]!;
  execFileSync('tar', ['-xzf', path.join(m, 'containerd', cd, 'amd64', `containerd-${cd.slice(1)}-linux-amd64.tar.gz`), '-C', bin(), '--strip-components=1']);
  const cv = readdirSync(path.join(m, 'chrony'))[0]!;
  execFileSync('dpkg-deb', ['-x', path.join(m, 'chrony', cv, 'amd64', `chrony_${cv.slice(1)}_amd64.deb`), path.join(work, 'chrony')]);
  for (const stub of ['kubelet', 'kubeadm', 'haproxy']) symlinkSync('/bin/true', path.join(bin(), stub));
  rendered = await renderHostFiles(spec(), { artifactText: artifactTextFrom(path.join(work, 'data'), spec()) });
});

after(async () => {
  await mirror?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('containerd accepts config.toml (config dump)', () => {
  const [cfg] = files('config.toml');
  assert.ok(cfg, 'a containerd config is rendered');
  const res = tool(path.join(bin(), 'containerd'), ['--config', scratch(cfg.host, cfg.path, cfg.content), 'config', 'dump']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /sandbox_image = "reg\.example\/pause:3\.10"/);
  assert.match(res.stdout, /config_path = "\/etc\/containerd\/certs\.d"/);
  assert.deepEqual(files('hosts.toml').filter((f) => f.host === cfg.host).map((f) => f.path).sort(), ['/etc/containerd/certs.d/docker.io/hosts.toml', '/etc/containerd/certs.d/reg.local:5000/hosts.toml']);
});

test("etcd parses every flag of each member's unit (and refuses one it does not know)", () => {
  const units = files('etcd.service');
  assert.equal(units.length, 3);
  for (const u of units) {
    const exec = /^ExecStart=\S+ \\\n([\s\S]*?)\n(?=\S)/m.exec(u.content)?.[1] ?? '';
    const flags = exec.split(/\s*\\\n\s*|\s+/).filter(Boolean);
    assert.ok(flags.includes('--quota-backend-bytes=4294967296') && flags.includes('--data-dir=/srv/etcd'), flags.join(' '));
    const ok = tool(path.join(bin(), 'etcd'), [...flags, '--version']);
    assert.equal(ok.status, 0, `${u.host}: ${ok.stderr}`);
    assert.match(ok.stdout, /etcd Version: 3\.4\.23/);
    const bad = tool(path.join(bin(), 'etcd'), [...flags, '--no-such-flag=1', '--version']);
    assert.notEqual(bad.status, 0, 'etcd refuses an unknown flag before --version');
  }
});

test('chronyd -p accepts each chrony.conf', () => {
  const confs = files('chrony.conf');
  assert.equal(confs.length, 3);
  for (const c of confs) {
    const res = tool(path.join(work, 'chrony/usr/sbin/chronyd'), ['-p', '-f', scratch(c.host, c.path, c.content)]);
    assert.equal(res.status, 0, `${c.host}: ${res.stderr}`);
    assert.match(res.stdout, c.host === hosts[0]!.name ? /^allow /m : /^server \S+ iburst$/m);
  }
});

test('systemd-analyze verify accepts every unit (binaries: the real etcd and containerd, stubs for the rest)', () => {
  const units = rendered.flatMap((h) => h.files.filter((f) => f.content !== null && /\.(service|timer|conf)$/.test(f.path) && f.path.startsWith('/etc/systemd/system/')).map((f) => ({ host: h.host, ...f })));
  assert.deepEqual([...new Set(units.map((u) => path.basename(u.path)))].sort(), ['10-kubeadm.conf', 'containerd.service', 'etcd.service', 'k8s-certs-renew.service', 'k8s-certs-renew.timer', 'kube-haproxy.service', 'kubelet.service']);
  for (const h of rendered) {
    const dir = path.join(work, 'units', h.host);
    const mine = units.filter((u) => u.host === h.host);
    for (const u of mine) {
      const target = path.join(dir, path.relative('/etc/systemd/system', u.path));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, u.content!.replaceAll(/\/usr\/local\/s?bin\//g, `${bin()}/`));
    }
    const top = mine.filter((u) => path.dirname(u.path) === '/etc/systemd/system').map((u) => path.join(dir, path.basename(u.path)));
    const res = tool('systemd-analyze', ['verify', '--man=no', ...top], { SYSTEMD_UNIT_PATH: `${dir}:` });
    assert.equal(res.status, 0, `${h.host}: ${res.stderr}`);
    assert.equal(res.stderr.trim(), '', `${h.host}: systemd-analyze warns`);
  }
});

test('haproxy -c accepts haproxy.cfg (Debian haproxy on a lab host)', async () => {
  const cfgs = files('haproxy.cfg');
  assert.deepEqual(cfgs.map((c) => c.host), [hosts[1]!.name, hosts[2]!.name]);
  const host = runtimeHostsFromSpec(spec())[1]!;
  const c = await labConnectorFactory()(host);
  try {
    const hv = readdirSync(path.join(mirror.dir, 'haproxy'))[0]!;
    await c.upload({ path: path.join(mirror.dir, 'haproxy', hv, 'amd64', `haproxy-${hv.slice(1)}-linux-amd64`) }, '/tmp/kx-render-haproxy', { mode: 0o755 });
    await c.upload(Buffer.from(cfgs[0]!.content), '/tmp/kx-render-haproxy.cfg', { mode: 0o644 });
    const res = await c.exec('/tmp/kx-render-haproxy -c -dW -f /tmp/kx-render-haproxy.cfg; rc=$?; rm -f /tmp/kx-render-haproxy /tmp/kx-render-haproxy.cfg; exit $rc');
    assert.equal(res.exitCode, 0, res.stdout + res.stderr);
    assert.match(res.stdout + res.stderr, /Configuration file is valid/);
  } finally {
    await c.close();
  }
  assert.ok((await readFile(path.join(mirror.dir, 'SHA256SUMS'), 'utf8')).includes('chrony/'), 'the mirror ships chrony');
});
