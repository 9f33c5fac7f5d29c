import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts, type LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { main } from '../../cli/main';
import { containerdModule } from '../containerd/tasks';
import { kernelModule } from '../kernel/tasks';
import { labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';

// `spec render --diff` against lab hosts where the kernel and containerd modules ran: the files those modules wrote
// are "same", the later modules' files "missing", a file changed by hand "differs" with its lines; as root and non-root.
let hosts: LabHost[];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let work: string;
const CONFIG = '/etc/containerd/config.toml';

type User = 'root' | 'kxuser' | 'kxnopw';
function kubekeyFile(user: User, pin = true): string {
  const auth = (h: LabHost) => {
    if (user === 'kxuser') return `password: ${JSON.stringify(h.users.kxuser.password)}`;
    const key = path.join(work, `${user}.key`);
    writeFileSync(key, user === 'root' ? h.rootKey : h.users.kxnopw.privateKey, { mode: 0o600 });
    return `privateKeyPath: ${JSON.stringify(key)}`;
  };
  const line = (h: LabHost) => `  - {name: ${h.name}, address: ${h.address}, port: ${h.port}, user: ${user}, ${auth(h)}${pin ? `, hostKeyFingerprint: "${h.hostKeyFingerprint}"` : ''}}`;
  const file = path.join(work, `${user}${pin ? '' : '-unpinned'}.yaml`);
  writeFileSync(file, `apiVersion: kubekey.kubesphere.io/v1alpha2
kind: Cluster
metadata: {name: lab}
spec:
  hosts:
${hosts.map(line).join('\n')}
  roleGroups: {etcd: [${hosts.map((h) => h.name).join(', ')}], control-plane: [${hosts[0]!.name}], worker: [${hosts[1]!.name}, ${hosts[2]!.name}]}
  kubernetes: {version: v1.31.4}
  registry: {registryMirrors: ["https://mirror.example.test"]}
  kubexms: {etcdVersion: v3.4.23, containerdVersion: v1.6.20, artifactsMirror: "${mirror.url}"}
`);
  return file;
}

async function kubexms(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...args, '--data-dir', path.join(work, 'data')], { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

/** "state path" lines of one host's section */
function states(out: string, host: string): Map<string, string> {
  const section = out.split(/^# /m).find((s) => s.startsWith(`${host}:`)) ?? '';
  return new Map([...section.matchAll(/^(differs|missing|mode|present)\s+(\S+):/gm)].map((m) => [m[2]!, m[1]!]));
}

before(async () => {
  hosts = await labHosts(3);
  mirror = await ensureMirror();
  work = mkdtempSync(path.join(tmpdir(), 'kx-render-diff-'));
  const spec = labSpec(hosts, {
    user: 'kxuser',
    overrides: { etcd: { version: 'v3.4.23' }, containerd: { version: 'v1.6.20' }, artifacts: { mirror: mirror.url }, registry: { mirrors: ['https://mirror.example.test'], insecureRegistries: [] } },
  });
  const r = await runWithContext({ pipeline: { name: 'until containerd', modules: [kernelModule(spec), containerdModule(spec)] }, spec, context: { dataDir: path.join(work, 'data') }, connectorFor: labConnectorFactory() });
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  for (const h of hosts) await labControl.exec(h.index, `rm -f /etc/systemd/system/etcd.service`);
});

after(async () => {
  for (const h of hosts ?? []) await labControl.exec(h.index, `sed -i '/^# changed by hand$/d' ${CONFIG}`);
  await mirror?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('as kxuser (sudo with password): what the kernel and containerd modules wrote is the same, the rest missing', async () => {
  const r = await kubexms(['spec', 'render', '-f', kubekeyFile('kxuser'), '--diff']);
  assert.equal(r.code, 1, r.err || r.out);
  for (const h of hosts) {
    const s = states(r.out, h.name);
    for (const same of [CONFIG, '/etc/systemd/system/containerd.service', '/etc/containerd/certs.d/docker.io/hosts.toml', '/etc/modules-load.d/kubexms.conf', '/etc/sysctl.d/99-kubexms.conf']) {
      assert.equal(s.get(same), undefined, `${h.name}: ${same} should be the same\n${r.out}`);
    }
    assert.equal(s.get('/etc/systemd/system/etcd.service'), 'missing', r.out);
    assert.equal(s.get('/etc/systemd/system/kubelet.service'), 'missing', r.out);
  }
  assert.equal(states(r.out, hosts[0]!.name).get('/etc/kubernetes/kubeadm-config.yaml'), 'missing');
  assert.ok(!r.out.includes(hosts[0]!.users.kxuser.password), 'no SSH password in the output');
});

test('as kxnopw: a file changed by hand differs, with its line in the diff; -o writes the files', async () => {
  await labControl.exec(hosts[1]!.index, `echo '# changed by hand' >> ${CONFIG}`);
  const r = await kubexms(['spec', 'render', '-f', kubekeyFile('kxnopw'), '--diff']);
  assert.equal(states(r.out, hosts[1]!.name).get(CONFIG), 'differs', r.out);
  assert.match(r.out, /^-# changed by hand$/m);
  assert.equal(states(r.out, hosts[0]!.name).get(CONFIG), undefined);

  const dir = path.join(work, 'out');
  const o = await kubexms(['spec', 'render', '-f', kubekeyFile('kxnopw'), '-o', dir]);
  assert.equal(o.code, 0, o.err);
  assert.ok(existsSync(path.join(dir, hosts[1]!.name, 'etc/containerd/config.toml')));
  assert.match(readFileSync(path.join(dir, hosts[0]!.name, 'INDEX'), 'utf8'), /^0600 file \/etc\/kubernetes\/kubeadm-config\.yaml\t/m);
});

test('as root: --host reads only that host; an unpinned host is not compared and says why', async () => {
  const one = await kubexms(['spec', 'render', '-f', kubekeyFile('root'), '--diff', '--host', hosts[1]!.name]);
  assert.deepEqual([...one.out.matchAll(/^# (\S+):/gm)].map((m) => m[1]), [hosts[1]!.name]);
  assert.equal(states(one.out, hosts[1]!.name).get(CONFIG), 'differs');
  const unpinned = await kubexms(['spec', 'render', '-f', kubekeyFile('root', false), '--diff', '--host', hosts[2]!.name]);
  assert.equal(unpinned.code, 1);
  assert.match(unpinned.out, new RegExp(`^# ${hosts[2]!.name}: not compared: host key not pinned`, 'm'));
});
