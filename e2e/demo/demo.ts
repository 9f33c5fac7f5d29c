import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureMirror, type Mirror } from '../mirror/serve';
import { REPO_ROOT } from '../support/server-process';
import { checkMachine, ensureBuild, Refusal } from './checks';
import { demoPassword, startDashboard, type Dashboard } from './dashboard';
import { breakHelp, breakHost, fixHost, stopSandbox } from './host-commands';
import { demoLabDir, readSandbox, sandboxNspawnPids, sandboxScript } from './sandbox';
import { ensureSandboxCluster, SANDBOX_CLUSTER, SANDBOX_PREFLIGHT, SANDBOX_ROLES } from './sandbox-cluster';

const USAGE = `usage: npm run demo [-- --keep]      boot the sandbox, the mirror and the dashboard; Ctrl-C stops them (--keep: not the hosts)
       npm run demo -- down             stop sandbox hosts kept with --keep
       npm run demo -- break nI [cut|crash|sshd]    break a sandbox host on purpose
       npm run demo -- fix nI           undo the break`;
export const STATE_FILE = join(demoLabDir, 'demo.json');

const say = (line: string) => console.log(`demo: ${line}`);

function refuseSecondDemo(): void {
  let pid = 0;
  try {
    pid = (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { pid: number }).pid;
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Refusal(`a demo already runs (pid ${pid}, ${STATE_FILE}): use it, or stop it with Ctrl-C in its terminal`);
}

async function run(keep: boolean): Promise<number> {
  const ac = new AbortController();
  const { signal } = ac;
  const onSignal = (name: string) => {
    if (signal.aborted) return say('still stopping…');
    say(`${name}: stopping${keep ? ' (hosts kept)' : ''}…`);
    ac.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const t0 = Date.now();
  const dataDir = resolve(process.env.KUBEXMS_DATA_DIR ?? join(REPO_ROOT, 'data-demo'));
  let code = 0;
  let hostsTouched = false;
  let mirror: Mirror | undefined;
  let dashboard: Dashboard | undefined;
  try {
    refuseSecondDemo();
    await checkMachine(signal);
    await ensureBuild(signal);
    say('booting 3 sandbox hosts (systemd-nspawn, bridge br-kxlab)…');
    hostsTouched = true;
    const up = await sandboxScript(['up'], { signal, echo: true });
    if (signal.aborted) return 0;
    if (up.code === 3) throw new Refusal(up.stderr.trim().split('\n').at(-1) ?? 'sandbox check failed');
    if (up.code !== 0) throw new Error(`the sandbox hosts did not come up (exit ${up.code}); see ${demoLabDir}/hosts/n2{1,2,3}/console.log`);
    const sandbox = await readSandbox();
    mirror = await ensureMirror(signal);
    const password = demoPassword(dataDir);
    const host = process.env.HOST ?? '127.0.0.1';
    dashboard = await startDashboard({ dataDir, host, port: Number(process.env.PORT ?? 3000), password, signal });
    const cluster = await ensureSandboxCluster(dashboard.url, password, sandbox, mirror.url);
    writeFileSync(STATE_FILE, JSON.stringify({ pid: process.pid, url: dashboard.url, dashboardPid: dashboard.pid, mirror: mirror.url, dataDir, clusterId: cluster.id, nspawnPids: sandboxNspawnPids() }, null, 2));
    const roles = sandbox.hosts.map((h, i) => `${h.name} ${h.address} (${SANDBOX_ROLES[i]?.join(' + ')})`).join(', ');
    const p = SANDBOX_PREFLIGHT;
    console.log([
      `kubexms demo ready: ${dashboard.url} (login: admin / ${password}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      `  cluster "${SANDBOX_CLUSTER}" (${cluster.action}${cluster.pinned.length ? `, host keys pinned: ${cluster.pinned.join(', ')}` : ''}): ${dashboard.url}/clusters/${cluster.id}`,
      `  hosts: ${roles}`,
      `  artifacts: etcd and containerd from the local mirror ${mirror.url} (built from Debian packages; no kubeadm and etcd 3.4: choose "stops after etcd" for createCluster)`,
      `  preflight minimums: ${p.minCpuControlPlane} CPU, ${p.minMemControlPlaneMb} MiB (control plane) / ${p.minMemWorkerMb} MiB (worker), ${p.minDiskGb} GB disk`,
      ...breakHelp().map((l) => `  ${l}`),
      `  dashboard log: ${dashboard.logFile}; Ctrl-C stops the dashboard, the mirror${keep ? '' : ' and the hosts'}`,
    ].join('\n'));
    dashboard.exited.then(() => {
      if (!signal.aborted) {
        say(`the dashboard exited on its own; see ${dashboard?.logFile}`);
        code = 1;
        ac.abort();
      }
    });
    if (!signal.aborted) await new Promise((done) => signal.addEventListener('abort', done, { once: true }));
  } catch (err) {
    if (!signal.aborted) {
      const msg = err instanceof Error ? err.message : String(err);
      console.error(err instanceof Refusal ? `demo: cannot start: ${msg}` : /EADDRINUSE/.test(msg) ? `demo: port ${process.env.PORT ?? 3000} is in use: run with PORT=<free port> npm run demo` : `demo: failed: ${msg}`);
      code = err instanceof Refusal ? 3 : 1;
    }
  } finally {
    await dashboard?.stop();
    await mirror?.close();
    if (dashboard) rmSync(STATE_FILE, { force: true });
    if (hostsTouched && !keep) await sandboxScript(['down'], { echo: true });
    if (hostsTouched) say(keep ? 'stopped; the sandbox hosts still run (npm run demo -- down stops them)' : 'stopped; nothing left running');
  }
  return code;
}

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep');
  const [cmd, ...rest] = argv.filter((a) => a !== '--keep');
  switch (cmd) {
    case undefined:
    case 'up':
      return run(keep);
    case 'down':
      await stopSandbox();
      return 0;
    case 'break':
      say(await breakHost(rest[0], rest[1]));
      return 0;
    case 'fix':
      say(await fixHost(rest[0]));
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
