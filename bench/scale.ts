import type { RunEvent } from '../server/contracts/run-events';
import { benchRunner, specPipeline } from './lib/bench-cluster';
import { peakRssMb, sampleMemory } from './lib/memory';
import { ensureHosts, releaseHosts } from './lib/session';
import { figure, figureRows } from './lib/figures';
import { fmt, parseFlags, table } from './lib/stats';
import { trivialSteps } from './lib/workload';
import { limitHeapGrowth } from '../server/heap-policy';

const flags = parseFlags(process.argv.slice(2));
const hostCount = Number(flags.get('hosts') ?? 2000);
const stepCount = Number(flags.get('steps') ?? 10);
const concurrency = Number(flags.get('concurrency') ?? 200);
const perSshd = Number(flags.get('per-sshd') ?? (hostCount > 100 ? 10 : 1));

// the runner runs in this process: give it the heap policy the server sets at start (server/main.ts), unless --default-heap-growth (V8's own factor)
if (!flags.has('default-heap-growth')) limitHeapGrowth();
const { hosts, clientKey } = await ensureHosts(hostCount, perSshd);
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const steps = trivialSteps(stepCount);
const bench = benchRunner(hosts, clientKey.toString('utf8'), { 'bench:scale': () => specPipeline('bench:scale', steps, concurrency) });
const running = new Set<string>();
let maxHosts = 0;
let events = 0;
let failed = 0;
const finished = new Promise<string>((resolve) => {
  bench.runner.bus.subscribe({
    events: (_runId, batch: readonly RunEvent[]) => {
      for (const e of batch) {
        events += 1;
        if (e.type === 'step.status') {
          if (e.status === 'running') running.add(e.host);
          else running.delete(e.host);
          if (e.status === 'failed') failed += 1;
          maxHosts = Math.max(maxHosts, running.size);
        }
        if (e.type === 'run.status' && !['queued', 'running'].includes(e.status)) resolve(e.status);
      }
    },
  });
});
const stopSampling = sampleMemory();
const t0 = performance.now();
let status = 'not started';
try {
  await bench.runner.start({ clusterId: bench.clusterId, pipeline: 'bench:scale' });
  status = await finished;
} finally {
  await bench.close();
  await releaseHosts();
}
const seconds = (performance.now() - t0) / 1000;
const mem = stopSampling();
console.log(`\nScenario 2 — scale: ${hostCount} light hosts × ${stepCount} steps, concurrency ${concurrency}, through the runner (recorder → SQLite)\n`);
console.log(
  table(
    ['measure', 'value', 'target'],
    [
      ['run status', status, 'succeeded'],
      ['wall time', `${fmt(seconds)} s`, ''],
      ['cells', `${hostCount * stepCount} (${failed} failed)`, ''],
      ['events recorded', String(events), ''],
      ['max hosts in flight (from events)', String(maxHosts), `≤ ${concurrency}`],
      ['RSS before the run', `${fmt(rssBefore, 0)} MB`, ''],
      ['peak RSS (sampled)', `${fmt(mem.rssMb, 0)} MB`, ''],
      ['peak RSS (VmHWM)', `${fmt(peakRssMb(), 0)} MB`, '≤ 400 MB'],
      ['peak heap used', `${fmt(mem.heapUsedMb, 0)} MB`, ''],
    ],
  ),
);
const peak = peakRssMb();
const ok = status === 'succeeded' && peak <= 400 && maxHosts <= concurrency;
const f = figure('scale', `${status}, peak RSS ${fmt(peak, 0)} MB, at most ${maxHosts} in flight`, hostCount >= 2000 && concurrency === 200 ? ok : null, hostCount === 2000 && concurrency === 200 ? undefined : `${hostCount} hosts, concurrency ${concurrency}`);
console.log(`\nTargets (issue #20)\n\n${table(['figure', 'measured', 'target', 'verdict'], figureRows([f]).filter((r) => r[3] !== '—' && r[1] !== '—'))}`);
// the cap is a correctness property, not a timing: a run with more hosts in flight than its concurrency fails the bench
if (maxHosts > concurrency) console.error(`FAIL: ${maxHosts} hosts in flight, more than the concurrency ${concurrency}`);
if (status !== 'succeeded' || maxHosts > concurrency) process.exitCode = 1;
