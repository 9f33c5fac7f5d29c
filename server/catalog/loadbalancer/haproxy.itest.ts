import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labControl, labHosts } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { ensureMirror } from '../../../e2e/mirror/serve';
import { sh } from '../../connectors/shell-quote';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { labSpec } from '../testing/lab';
import { labConnectorFactory } from '../testing/lab-connector';
import { runWithContext } from '../testing/lab-run';
import { HAPROXY_PATHS } from './render';
import { loadBalancerResetTasks, loadBalancerTasks } from './tasks';

// Two control planes with stand-in API servers (TLS, 200 on /healthz, each answering its own name) and one worker
// that gets kubexms's haproxy from the mirror (Debian's build): the real haproxy, the real config, the real failover.
let hosts: [LabHost, LabHost, LabHost];
let mirror: Awaited<ReturnType<typeof ensureMirror>>;
let dataDir: string;
let spec: ClusterSpec;
const specAs = (user: 'root' | 'kxuser' | 'kxnopw') =>
  labSpec(hosts, {
    user,
    roles: [['etcd', 'control-plane'], ['control-plane'], ['worker']],
    overrides: { kubernetes: { version: 'v1.31.4', controlPlaneEndpoint: { internalLoadbalancer: 'haproxy' } }, artifacts: { mirror: mirror.url } },
  });

const onHost = async (h: LabHost, cmd: string) => {
  const res = await labControl.exec(h.index, cmd);
  assert.equal(res.code, 0, `${h.name}: ${cmd}\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
};
const run = (tasks: ReturnType<typeof loadBalancerTasks>, s = spec) =>
  runWithContext({ pipeline: { name: 'lb', modules: [{ name: 'lb', tasks }] }, spec: s, context: { dataDir }, connectorFor: labConnectorFactory() });

const STANDIN = `
import http.server, ssl, sys
name = sys.argv[1].encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header('Content-Length', str(len(name))); self.end_headers(); self.wfile.write(name)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(('0.0.0.0', 6443), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain('/run/kx-standin.crt', '/run/kx-standin.key')
s.socket = c.wrap_socket(s.socket, server_side=True)
s.serve_forever()
`;

async function startStandIn(h: LabHost) {
  await onHost(h, `${sh`printf '%s' ${STANDIN}`} > /run/kx-standin.py
    [ -f /run/kx-standin.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=standin -keyout /run/kx-standin.key -out /run/kx-standin.crt 2>/dev/null
    systemctl reset-failed kx-standin 2>/dev/null; systemd-run -q --unit=kx-standin python3 /run/kx-standin.py ${h.name}
    for i in $(seq 50); do ss -Hltn 'sport = :6443' | grep -q . && exit 0; sleep 0.1; done; exit 1`);
}
/** n connections through the worker's 127.0.0.1:6443, each one answered by a control plane's name */
async function through(worker: LabHost, n: number): Promise<string[]> {
  const out = await onHost(worker, `for i in $(seq ${n}); do curl -sk --max-time 5 https://127.0.0.1:6443/healthz || echo FAILED; echo; done`);
  return out.trim().split('\n');
}

before(async () => {
  hosts = (await labHosts(3)) as [LabHost, LabHost, LabHost];
  mirror = await ensureMirror();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kx-lb-'));
  spec = specAs('kxuser');
  const cleanup = await run(loadBalancerResetTasks());
  assert.equal(cleanup.outcome.status, 'succeeded', cleanup.outcome.failure?.message);
  for (const h of hosts.slice(0, 2)) await startStandIn(h);
});

after(async () => {
  for (const h of hosts?.slice(0, 2) ?? []) await labControl.exec(h.index, 'systemctl stop kx-standin; rm -f /run/kx-standin.*; true');
  await mirror?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('haproxy on the worker only (as kxuser, password sudo); Debian haproxy -c accepts the config; a stopped control plane is routed around', async () => {
  const [cp1, cp2, worker] = hosts;
  const r = await run(loadBalancerTasks(spec));
  assert.equal(r.outcome.status, 'succeeded', r.outcome.failure?.message);
  assert.deepEqual([...new Set(r.cells.map((c) => c.host))], [worker.name]);
  assert.equal((await labControl.exec(cp1.index, `test -e ${HAPROXY_PATHS.bin}`)).code, 1);

  const check = await labControl.exec(worker.index, `${HAPROXY_PATHS.bin} -c -dW -f ${HAPROXY_PATHS.config}`);
  assert.equal(check.code, 0, `haproxy -c (warnings fatal): ${check.stdout}${check.stderr}`);
  assert.match(check.stdout + check.stderr, /Configuration file is valid/);

  const both = await through(worker, 8);
  assert.deepEqual(both.filter((a) => a !== cp1.name && a !== cp2.name), [], both.join(','));
  assert.deepEqual(new Set(both), new Set([cp1.name, cp2.name]), 'leastconn spreads connections over both control planes');

  await onHost(cp1, 'systemctl stop kx-standin');
  const t0 = performance.now();
  const after1 = await through(worker, 8);
  console.log(`# 8 connections right after ${cp1.name} stopped: ${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(after1, Array(8).fill(cp2.name), 'every connection reaches the control plane still up');

  await startStandIn(cp1);
  const again = await run(loadBalancerTasks(spec), specAs('kxnopw'));
  assert.equal(again.outcome.status, 'succeeded', again.outcome.failure?.message);
  assert.ok(again.cells.every((c) => c.status === 'skipped'), again.cells.filter((c) => c.status !== 'skipped').map((c) => c.step).join(', '));

  const reset = await run(loadBalancerResetTasks(), specAs('root'));
  assert.equal(reset.outcome.status, 'succeeded', reset.outcome.failure?.message);
  assert.equal((await labControl.exec(worker.index, `test -e ${HAPROXY_PATHS.bin} || test -e ${HAPROXY_PATHS.unit} || test -e /etc/kubexms`)).code, 1);
});
