import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { loginCookie, trpcMutation } from '../e2e/support/http-session';
import { lightClusterInput } from './lib/bench-cluster';
import { LIVE_PIPELINE } from './lib/live-pipeline';
import { startLiveServer } from './lib/live-server';
import { startPageProfile, topSelf } from './lib/cpu-profile';
import { longTaskReport, TRACE_CATEGORIES } from './lib/page-trace';
import { cpuMeter } from './lib/cpu-usage';
import { processCpuMeter } from './lib/process-cpu';
import { peakRssMbOf, rssMbOf } from './lib/memory';
import { watchLatency } from './lib/node-watcher';
import { collectLoadProbe, collectProbe, interactiveAt, loadProbeScript, probeScript, type LoadProbe, type ProbeResult } from './lib/page-probe';
import { figure, figureRows } from './lib/figures';
import { ensureHosts, releaseHosts } from './lib/session';
import { HOST_SCHED } from './light-hosts/up';
import { idleHostGroup } from './light-hosts/cpu-group';
import { readInventory } from './light-hosts/state';
import { fmt, parseFlags, percentile, table } from './lib/stats';

const flags = parseFlags(process.argv.slice(2));
const hostCount = Number(flags.get('hosts') ?? 200);
const steps = Number(flags.get('steps') ?? 40);
const linesPerSecond = Number(flags.get('lines-per-second') ?? 2000);
const stepMs = Number(flags.get('step-ms') ?? 2000);
const linesPerStep = Math.max(0, Math.round((linesPerSecond * stepMs) / 1000 / hostCount));
const PASSWORD = 'bench-admin-password-1';

if (!existsSync(new URL('../.next/BUILD_ID', import.meta.url))) throw new Error('live-view needs a production build of the web app (npm run build)');
const { hosts, clientKey } = await ensureHosts(hostCount, hostCount > 100 ? 10 : 1);
// the simulated fleet on idle CPU only (see cpu-group.ts); --hosts-cpu=shared: as the other scenarios, and as this one before
const sharedHosts = flags.get('hosts-cpu') === 'shared';
const undoHostGroup = sharedHosts ? null : idleHostGroup((await readInventory()).sshds.map((s) => s.pid));
if (!sharedHosts && !undoHostGroup) process.stderr.write('could not make a cpu cgroup for the light hosts: they share the CPU with the server and Chromium\n');
const goFile = join('/tmp', `kx-bench-live-go-${process.pid}`);
const emitFile = join('/tmp', `kx-bench-live-emit-${process.pid}.json`);
const server = await startLiveServer({
  KUBEXMS_ADMIN_PASSWORD: PASSWORD,
  KX_BENCH_LIVE_STEPS: String(steps),
  KX_BENCH_LIVE_LINES: String(linesPerStep),
  KX_BENCH_LIVE_STEP_MS: String(stepMs),
  KX_BENCH_LIVE_GO: goFile,
  KX_BENCH_LIVE_EMIT_OUT: emitFile,
  // a fixed port for machines where engineers are given port ranges (default: a free one)
  ...(flags.has('port') ? { PORT: String(flags.get('port')) } : {}),
}, [
  ...(flags.has('profile-server') ? ['--cpu-prof', `--cpu-prof-dir=${flags.get('profile-server') === 'true' ? '/tmp/kx-bench-prof' : flags.get('profile-server')}`] : []),
  // diagnostic: is the server's growth live data or garbage V8 has not collected yet?
  ...(flags.has('server-heap-mb') ? [`--max-old-space-size=${Number(flags.get('server-heap-mb'))}`] : []),
  // diagnostic: other node/V8 flags for the server, space-separated (e.g. --server-node-args="--trace-gc --max-semi-space-size=8")
  ...(flags.get('server-node-args')?.split(' ').filter(Boolean) ?? []),
]);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
});
let probe: ProbeResult;
let socketBytes = 0;
let socketFrames = 0;
const bytesByMessage = new Map<string, number>();
let runId = 0;
let runSeconds = 0;
let goAt = 0;
let serverSide: number[] = [];
let cpu = { processSeconds: 0, machineBusy: 0 };
let cpuBy: [string, number][] = [];
const loadAt = [Number.NaN, Number.NaN];
let serverPeakMb = Number.NaN;
let serverIdleMb = Number.NaN;
let pageTop: string[] = [];
let traceTop: string[] = [];
const traceFile = flags.has('trace-page') ? (flags.get('trace-page') === 'true' ? '/tmp/kx-bench-page-trace.json' : flags.get('trace-page')!) : null;
let finished: { firstCell: number | null; interactive: number | null; longest: number } = { firstCell: null, interactive: null, longest: Number.NaN };
try {
  const cookie = await loginCookie(server.url, PASSWORD);
  serverIdleMb = rssMbOf(server.proc.pid!);
  const created = await trpcMutation<{ id: number }>(server.url, 'clusters.create', { spec: lightClusterInput(hosts, clientKey.toString('utf8')) }, { cookie });
  if (!created.data) throw new Error(`clusters.create: ${created.error?.message}`);
  const started = await trpcMutation<{ runId: number }>(server.url, 'runs.start', { clusterId: created.data.id, pipeline: LIVE_PIPELINE }, { cookie });
  if (!started.data) throw new Error(`runs.start: ${started.error?.message}`);
  runId = started.data.runId;
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name: name!, value: value!, url: server.url }]);
  const page = await context.newPage();
  await page.addInitScript(probeScript);
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      socketFrames += 1;
      const bytes = typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
      socketBytes += bytes;
      const name = typeof f.payload === 'string' ? (/^\d+\["([^"]+)"/.exec(f.payload)?.[1] ?? 'other') : 'binary';
      bytesByMessage.set(name, (bytesByMessage.get(name) ?? 0) + bytes);
    }),
  );
  await page.goto(`${server.url}/runs/${runId}`);
  await page.locator('[data-testid="run-grid"] [data-status]').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000);
  socketBytes = 0;
  socketFrames = 0;
  bytesByMessage.clear();
  const watcher = watchLatency(server.url, cookie, runId);
  const stopProfile = flags.has('profile-page') ? await startPageProfile(await context.newCDPSession(page)) : null;
  if (traceFile) await browser.startTracing(page, { path: traceFile, categories: TRACE_CATEGORIES });
  const meter = cpuMeter(server.proc.pid!);
  const byProcess = processCpuMeter(process.pid, server.proc.pid!);
  await page.evaluate('window.__kx.arm()');
  loadAt[0] = loadavg()[0]!;
  const t0 = Date.now();
  goAt = t0;
  await writeFile(goFile, 'go');
  // the run's status from the SQLite file (read-only), not runs.get: that answer carries every cell (8,200 here), and
  // asking it twice a second was a load of its own on the server measured (megabytes of garbage per call)
  const statusDb = new Database(join(server.dataDir, 'kubexms.db'), { readonly: true, fileMustExist: true });
  const runStatus = statusDb.prepare('select status from runs where id = ?');
  while (['queued', 'running'].includes((runStatus.get(runId) as { status: string }).status)) await new Promise((r) => setTimeout(r, 500));
  statusDb.close();
  runSeconds = (Date.now() - t0) / 1000;
  cpu = meter();
  cpuBy = byProcess();
  loadAt[1] = loadavg()[0]!;
  await page.waitForTimeout(1500);
  probe = (await page.evaluate(collectProbe)) as ProbeResult;
  if (stopProfile) pageTop = topSelf(await stopProfile());
  if (traceFile) traceTop = longTaskReport(JSON.parse((await browser.stopTracing()).toString('utf8')));
  serverSide = await watcher.stop();
  serverPeakMb = peakRssMbOf(server.proc.pid!);
  await page.close();
  // the finished run, opened afresh (same browser context: the app's scripts are in the HTTP cache, as for a user)
  const again = await context.newPage();
  await again.addInitScript(loadProbeScript);
  await again.goto(`${server.url}/runs/${runId}`);
  await again.locator('[data-testid="run-grid"] [data-status]').first().waitFor({ timeout: 60_000 });
  await again.waitForTimeout(3000);
  const load = (await again.evaluate(collectLoadProbe)) as LoadProbe;
  finished = { firstCell: load.firstCell, interactive: interactiveAt(load), longest: Math.max(0, ...load.tasks.map(([a, b]) => b - a)) };
} finally {
  await browser.close();
  await server.stop();
  await rm(goFile, { force: true });
  undoHostGroup?.();
  await releaseHosts();
}
// written by the server's preload when it exits (server.stop() waited for that)
const inServer = (JSON.parse(await readFile(emitFile, 'utf8')) as [number, number][]).flatMap(([ts, ms]) => (ts >= goAt ? [ms] : []));
await rm(emitFile, { force: true });
const db = new Database(join(server.dataDir, 'kubexms.db'), { readonly: true });
const events = db.prepare("select payload, ts from run_events where run_id = ? and type = 'step.status'").all(runId) as { payload: string; ts: number }[];
const eventCount = (db.prepare('select last_seq n from runs where id = ?').get(runId) as { n: number }).n;
const logLines = (db.prepare('select count(*) n from run_logs where run_id = ?').get(runId) as { n: number }).n;
const status = (db.prepare('select status from runs where id = ?').get(runId) as { status: string }).status;
db.close();
await rm(server.dataDir, { recursive: true, force: true });
const emitted = new Map<string, number>();
for (const e of events) {
  const p = JSON.parse(e.payload) as { host: string; step: string; status: string };
  emitted.set(`${p.host}\u0000${p.step}\u0000${p.status}`, e.ts);
}
const latencies = probe.changes.flatMap(([host, step, st, at]) => {
  const ts = emitted.get(`${host}\u0000${step}\u0000${st}`);
  return ts === undefined ? [] : [at - ts];
});
const arrived = new Map(probe.arrivals.map(([host, step, st, at, ts]) => [`${host}\u0000${step}\u0000${st}`, { at, ts }]));
const toArrival = probe.arrivals.map(([, , , at, ts]) => at - ts);
const toCommit = probe.changes.flatMap(([host, step, st, at]) => {
  const a = arrived.get(`${host}\u0000${step}\u0000${st}`);
  return a ? [at - a.at] : [];
});
// the longtask API reports tasks over 50 ms only: below that, how long the longest was is not known here (--trace-page says)
const longestTask = `${probe.longTasks === 0 ? 'none over 50 ms (no long task reported)' : `${fmt(probe.longest, 0)} ms (${probe.longTasks} tasks > 50 ms)`}${undoHostGroup ? '' : ', light hosts sharing the CPU'}`;
const p5095 = (v: number[]) => `${fmt(percentile(v, 50), 0)} / ${fmt(percentile(v, 95), 0)} ms`;
console.log(`\nScenario 3 — live view: ${hostCount} hosts × ${steps} steps, ${linesPerStep} lines per step every ${stepMs} ms (${fmt((hostCount * linesPerStep * 1000) / stepMs, 0)} lines/s), real server + Chromium; light hosts ${undoHostGroup ? 'in an idle cpu cgroup' : 'sharing the CPU (own autogroups)'}${HOST_SCHED === 'idle' ? ', their sshd under SCHED_IDLE (KX_BENCH_HOST_SCHED=idle)' : ''}\n`);
console.log(
  table(
    ['measure', 'value', 'target'],
    [
      ['run status / wall time', `${status} / ${fmt(runSeconds, 1)} s`, ''],
      ['machine load (1 min) at the start / end of the run', `${fmt(loadAt[0], 1)} / ${fmt(loadAt[1], 1)}`, ''],
      ['server CPU during the run / machine busy', `${fmt(cpu.processSeconds, 1)} s (${fmt((100 * cpu.processSeconds) / runSeconds, 0)} % of a core) / ${fmt(100 * cpu.machineBusy, 0)} % of ${availableParallelism()} cores`, ''],
      ['server peak RSS (VmHWM, Next included)', `${fmt(serverPeakMb, 0)} MB (${fmt(serverIdleMb, 0)} MB after start and login)`, '≤ 300 MB'],
      ['events / log lines recorded', `${eventCount} / ${logLines} (${fmt(logLines / runSeconds, 0)} lines/s)`, ''],
      ['cell changes seen in the page (visible cells)', `${latencies.length} of ${probe.changes.length}`, ''],
      ['event → cell change p50', `${fmt(percentile(latencies, 50), 0)} ms`, ''],
      ['event → cell change p95', `${fmt(percentile(latencies, 95), 0)} ms`, '≤ 100 ms'],
      ['  event → a bare socket.io client (server share) p50 / p95', p5095(serverSide), ''],
      ['    of which event → committed and handed to socket.io (inside the server) p50 / p95', p5095(inServer), ''],
      ['  event → frame handled in the page p50 / p95', p5095(toArrival), ''],
      ['  frame handled → cell change (page work) p50 / p95', p5095(toCommit), ''],
      ['event → cell change max', `${fmt(Math.max(...latencies), 0)} ms`, ''],
      ['longest main-thread task during the run', longestTask, '≤ 50 ms'],
      ['longest task including page load', `${fmt(probe.longestAll, 0)} ms`, ''],
      ['  by message', [...bytesByMessage].map(([k, v]) => `${k} ${fmt(v / 2 ** 20, 1)} MB`).join(', '), ''],
      ['finished run opened afresh: navigation → first grid cell / grid interactive', `${fmt(finished.firstCell ?? Number.NaN, 0)} / ${fmt(finished.interactive ?? Number.NaN, 0)} ms (longest task ${fmt(finished.longest, 0)} ms)`, '≤ 1,000 ms'],
      ['socket bytes received / per event', `${fmt(socketBytes / 2 ** 20, 1)} MB / ${fmt(socketBytes / eventCount, 0)} B (${socketFrames} frames)`, ''],
    ],
  ),
);
// the light hosts get idle CPU only: on a machine busy with other work they fall behind, and the run is not the issue's
const reached = logLines / runSeconds;
const asked = (hostCount * linesPerStep * 1000) / stepMs;
const issueSize = hostCount === 200 && steps === 40 && asked >= 2000 && reached >= 0.9 * asked;
const size = issueSize ? undefined : `${hostCount} × ${steps}, ${fmt(asked, 0)} lines/s${reached < 0.9 * asked ? ` asked, ${fmt(reached, 0)} reached (the light hosts were short of CPU)` : ''}`;
const p95 = percentile(latencies, 95);
const rows = [
  figure('live-p95', `${fmt(p95, 0)} ms (server share p95 ${fmt(percentile(serverSide, 95), 0)} ms)`, issueSize && Number.isFinite(p95) ? p95 <= 100 : null, size),
  figure('live-longtask', longestTask, issueSize ? probe.longest <= 50 : null, size),
  figure('live-rss', `${fmt(serverPeakMb, 0)} MB (${fmt(serverIdleMb, 0)} MB after start)`, issueSize && Number.isFinite(serverPeakMb) ? serverPeakMb <= 300 : null, size),
  figure('finished-page', `${fmt(finished.interactive ?? Number.NaN, 0)} ms`, issueSize && finished.interactive !== null ? finished.interactive <= 1000 : null, size),
];
console.log(`\nTargets (issue #20)\n\n${table(['figure', 'measured', 'target', 'verdict'], figureRows(rows).filter((r) => r[1] !== '—'))}`);
console.log(`\nCPU during the run by process (${fmt(runSeconds, 1)} s of wall time, ${availableParallelism()} cores)\n\n${table(['process', 'CPU', '% of a core'], cpuBy.map(([k, v]) => [k, `${fmt(v, 1)} s`, `${fmt((100 * v) / runSeconds, 0)} %`]))}`);
if (pageTop.length > 0) console.log(`\nPage CPU profile during the run, top self time:\n${pageTop.join('\n')}`);
if (traceTop.length > 0) console.log(`\nPage trace during the run (${traceFile}; again: npx tsx bench/trace-report.ts <file>):\n${traceTop.join('\n')}`);
