/**
 * Cluster status at scale: the real status pipeline through the app's runner (recorder → SQLite, verdict, cluster_status
 * row). Step 1 measures it over SSH on lab hosts (KUBEXMS_LAB_HOSTS, as kxuser with a sudo password) and keeps each host's
 * time to answer (connect + sudo + the probe script) and its output. Step 2 runs it on N scripted hosts that answer with
 * that recorded output after those recorded times: what is measured there is kubexms's own share (scheduling at the
 * task's concurrency, parsing, verdict, storage) with the remote side modelled from the lab, not 200 real sshds.
 */
import type { Connector, ExecOptions, ExecResult } from '../server/connectors/connector';
import { ConnectorError } from '../server/connectors/connector';
import type { ClusterSpecDraft } from '../server/contracts/cluster-spec';
import type { RunEvent } from '../server/contracts/run-events';
import { createAppRunner } from '../server/app-runner';
import { waitFor } from '../server/engine/testing/fake-connector';
import { connectBudgetMs } from '../server/connectors/ssh-connect';
import { QUICK_CONNECT, sshConnect } from '../server/runner/connect';
import type { ConnectFn } from '../server/runner/runner';
import { createCluster } from '../server/services/clusters/create-cluster';
import { getClusterStatus } from '../server/services/status/cluster-status';
import { testEnv } from '../server/services/testing/test-env';
import { labHosts } from '../e2e/hosts/fixture';
import { peakRssMb } from './lib/memory';
import { fmt, median, parseFlags, percentile, table } from './lib/stats';

const flags = parseFlags(process.argv.slice(2));
const hostCount = Number(flags.get('hosts') ?? 200);
const labCount = Number(flags.get('lab-hosts') ?? 4);
const runs = Number(flags.get('runs') ?? 3);
const slow = Number(flags.get('slow') ?? 3);

type Answer = { ms: number; stdout: string; etcd: boolean };

/** Times each host's first command (it includes the SSH connect) and keeps its output. */
class TimedConnector implements Connector {
  #first = true;
  constructor(private readonly inner: Connector, private readonly host: string, private readonly etcd: boolean, private readonly sink: Map<string, Answer>) {}
  get target() { return this.inner.target; }
  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    const first = this.#first;
    this.#first = false;
    const t0 = performance.now();
    const res = await this.inner.exec(command, options);
    if (first) this.sink.set(this.host, { ms: performance.now() - t0, stdout: res.stdout, etcd: this.etcd });
    return res;
  }
  upload: Connector['upload'] = (...a) => this.inner.upload(...a);
  download: Connector['download'] = (...a) => this.inner.download(...a);
  close = () => this.inner.close();
}

/** Answers the probe with a recorded lab answer after its recorded time; `down` hosts fail as unreachable after `downMs`. */
class ScriptedConnector implements Connector {
  constructor(readonly target: string, private readonly answer: Answer, private readonly factor: number, private readonly downMs: number | null) {}
  async exec(_command: string, options?: ExecOptions): Promise<ExecResult> {
    await waitFor(this.downMs ?? this.answer.ms * this.factor, options?.signal);
    if (this.downMs !== null) throw new ConnectorError('unreachable', `${this.target}: no answer within ${this.downMs} ms`);
    return { exitCode: 0, signal: null, stdout: this.answer.stdout, stderr: '' };
  }
  upload = async () => ({ skipped: true, sha256: '', bytes: 0 });
  download = async () => Buffer.alloc(0);
  close = async () => undefined;
}

type Host = ClusterSpecDraft['hosts'][number];
type Result = { seconds: number; status: string; verdict: string; unreachable: number; rows: number; reportKb: number };

async function statusRun(hosts: Host[], connect: ConnectFn): Promise<Result> {
  const env = testEnv();
  const runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir }, { connect, statusAfterRun: false });
  runner.recover();
  try {
    const clusterId = createCluster(env, { spec: { name: `bench-status-${Date.now().toString(36)}`, kubernetes: { version: 'v1.31.4' }, hosts } satisfies ClusterSpecDraft }, { actor: 'bench' }).id;
    const ended = new Promise<string>((resolve) => {
      runner.bus.subscribe({
        events: (_id, batch: readonly RunEvent[]) => {
          for (const e of batch) if (e.type === 'run.status' && !['queued', 'running'].includes(e.status)) resolve(e.status);
        },
      });
    });
    const t0 = performance.now();
    await runner.start({ clusterId, pipeline: 'status' });
    const status = await ended;
    const seconds = (performance.now() - t0) / 1000;
    const kept = getClusterStatus(env, { clusterId });
    return {
      seconds, status, verdict: kept?.verdict ?? 'none kept', unreachable: kept?.hosts.filter((h) => !h.reachable).length ?? -1,
      rows: kept?.hosts.length ?? 0, reportKb: Buffer.byteLength(JSON.stringify(kept ?? {})) / 1024,
    };
  } finally {
    await runner.stop(1000);
    env.close();
  }
}

const roles = (i: number): Host['roles'] => (i < 3 ? ['etcd', 'control-plane', 'worker'] : ['worker']);

// 1. lab hosts over SSH
const lab = await labHosts(labCount);
const labSpecHosts: Host[] = lab.map((h, i) => ({
  name: h.name, address: h.address, port: h.port, user: 'kxuser', auth: { type: 'password', password: h.users.kxuser.password },
  sudoPassword: h.users.kxuser.password, hostKeyFingerprint: h.hostKeyFingerprint, roles: roles(i),
}));
const answers: Answer[] = [];
const labRows: string[][] = [];
for (let r = 0; r < runs; r++) {
  const sink = new Map<string, Answer>();
  const timedConnect: ConnectFn = (host, pinned, run) => new TimedConnector(sshConnect(host, pinned, run) as Connector, host.name, host.roles.includes('etcd'), sink);
  const res = await statusRun(labSpecHosts, timedConnect);
  const per = [...sink.values()].map((a) => a.ms);
  answers.push(...sink.values());
  labRows.push([`lab, SSH, run ${r + 1}`, String(lab.length), `${fmt(median(per), 0)} / ${fmt(Math.max(...per), 0)}`, fmt(res.seconds), res.status, res.verdict, String(res.unreachable), fmt(res.reportKb, 1)]);
}

// 2. scripted hosts replaying the lab's answers and times
const sample = (i: number, etcd: boolean) => {
  const pool = answers.filter((a) => a.etcd === etcd);
  return (pool.length ? pool : answers)[i % (pool.length || answers.length)]!;
};
const scripted = (factor: number, down: ReadonlySet<number>, downMs: number): ConnectFn => (host) => {
  const i = Number(host.name.slice(1));
  return new ScriptedConnector(host.name, sample(i, host.roles.includes('etcd')), factor, down.has(i) ? downMs : null);
};
const fleet: Host[] = Array.from({ length: hostCount }, (_, i) => ({
  name: `s${i}`, address: `198.51.100.${(i % 250) + 1}`, port: 22 + Math.floor(i / 250), user: 'kxuser', auth: { type: 'password', password: 'bench-unused' },
  sudoPassword: 'bench-unused', hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', roles: roles(i),
}));
const all = answers.map((a) => a.ms);
// a silent host costs a status run what the connector gives it (every attempt times out)
const QUICK_BUDGET_MS = connectBudgetMs({ host: 'silent', port: 22, username: 'kxuser', ...QUICK_CONNECT });
const scriptedRows: string[][] = [];
const scenarios: Array<{ label: string; factor: number; down: Set<number>; downMs: number }> = [
  { label: 'scripted, lab times', factor: 1, down: new Set(), downMs: 0 },
  { label: `scripted, lab times ×${slow}`, factor: slow, down: new Set(), downMs: 0 },
  { label: `scripted, 2 hosts down (status connect budget ${QUICK_BUDGET_MS / 1000} s)`, factor: 1, down: new Set([7, 150]), downMs: QUICK_BUDGET_MS },
];
for (const s of scenarios) {
  const res = await statusRun(fleet, scripted(s.factor, s.down, s.downMs));
  scriptedRows.push([s.label, String(hostCount), `${fmt(median(all) * s.factor, 0)} / ${fmt(Math.max(...all) * s.factor, 0)}`, fmt(res.seconds), res.status, res.verdict, String(res.unreachable), fmt(res.reportKb, 1)]);
}

console.log(`\nCluster status at scale: the status pipeline through the app runner (task concurrency 50), ${runs} lab runs on ${lab.length} hosts (kxuser, sudo password), then ${hostCount} scripted hosts\n`);
console.log(table(['run', 'hosts', 'per host ms (median / max)', 'wall s', 'run', 'verdict', 'unreachable', 'report KiB'], [...labRows, ...scriptedRows]));
console.log(`\nlab answers: p50 ${fmt(median(all), 0)} ms, p90 ${fmt(percentile(all, 90), 0)} ms over ${all.length} host reads; peak RSS of this process ${fmt(peakRssMb(), 0)} MB`);
console.log('targets (issue #18): ≤ 2 s on 3 lab hosts, ≤ 15 s on 200 hosts');
