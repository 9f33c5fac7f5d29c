import { LogsPageInput, ListRunsInput } from '../server/contracts/run-api';
import { openDb, type Db } from '../server/db/client';
import { testEnv } from '../server/services/testing/test-env';
import { listRuns } from '../server/services/runs/list-runs';
import { readRunSnapshot } from '../server/services/runs/read-run';
import { pageLogs } from '../server/services/logs/page-logs';
import { recordedRun, storageCluster, type StorageCluster } from './lib/storage-fixture';
import { fmt, median, parseFlags, percentile, table } from './lib/stats';
import type { TestEnv } from '../server/services/testing/test-env';

const flags = parseFlags(process.argv.slice(2));
const full = flags.has('full');
const ingestLines = Number(flags.get('lines') ?? (full ? 1_000_000 : 200_000));
const logMb = Number(flags.get('log-mb') ?? 100);
const runCount = Number(flags.get('runs') ?? 10_000);

const LINE = ' Setting up containerd (1.6.20~ds1-1+b1) ... unpacking /usr/bin/containerd-shim-runc-v2: ok';
const rows: string[][] = [];
const ms = (t0: number) => performance.now() - t0;

/** Log lines through the runner's recorder (redaction, 500-event batches, one transaction each), cells round-robin. */
function ingest(env: TestEnv, cluster: StorageCluster, lines: number, hosts: number, steps: number): { runId: number; seconds: number; bytes: number; stepId: string; host: string } {
  const prepared = cluster.prepare(hosts, steps);
  const task = prepared.plan.modules[0]!.tasks[0]!;
  const { runId, recorder } = recordedRun(env, cluster, prepared);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < lines; i++) {
    const text = `${i}${LINE}`;
    bytes += text.length + 1;
    recorder.record({ type: 'log', host: task.hosts[i % task.hosts.length]!, taskId: task.id, stepId: task.steps[i % task.steps.length]!.id, stream: 'stdout', text });
  }
  recorder.close();
  return { runId, seconds: ms(t0) / 1000, bytes, stepId: task.steps[0]!.id, host: task.hosts[0]! };
}

function timings(fn: () => unknown, times = 30): { cold: number; p50: number; p95: number } {
  const t0 = performance.now();
  fn();
  const cold = ms(t0);
  const warm = Array.from({ length: times }, () => {
    const t = performance.now();
    fn();
    return ms(t);
  });
  return { cold, p50: median(warm), p95: percentile(warm, 95) };
}

function timingRow(name: string, t: { cold: number; p50: number; p95: number }, target: string) {
  rows.push([name, `${fmt(t.cold)} ms`, `${fmt(t.p50)} ms`, `${fmt(t.p95)} ms`, target]);
}

function seedRuns(env: TestEnv, cluster: StorageCluster, count: number) {
  const prepared = cluster.prepare(3, 10);
  const t0 = performance.now();
  for (let i = 0; i < count; i += 500) env.db.$client.transaction(() => {
    for (let j = i; j < Math.min(count, i + 500); j++) recordedRun(env, cluster, prepared);
  })();
  const now = Date.now();
  env.db.$client
    .prepare(
      `update runs set status = case when id % 10 < 7 then 'succeeded' when id % 10 < 9 then 'failed' else 'cancelled' end,
         pipeline = case id % 3 when 0 then 'createCluster' when 1 then 'preflightOnly' else 'resetCluster' end,
         created_at = @now - (@count - id) * 60000, started_at = @now - (@count - id) * 60000, ended_at = @now - (@count - id) * 60000 + 30000`,
    )
    .run({ now, count });
  return ms(t0) / 1000;
}

const env = testEnv();
let db2: Db | null = null;
try {
  const cluster = await storageCluster(env, 20);
  const a = ingest(env, cluster, ingestLines, 20, 40);
  rows.push(['log ingest (20 hosts × 40 steps)', `${fmt(ingestLines / a.seconds, 0)} lines/s`, `${fmt(a.bytes / 2 ** 20 / a.seconds, 1)} MB/s`, `${ingestLines} lines`, '≥ 50,000 lines/s']);
  const lineCount = Math.ceil((logMb * 2 ** 20) / (LINE.length + 8));
  const b = ingest(env, cluster, lineCount, 1, 1);
  rows.push([`one step log of ${fmt(b.bytes / 2 ** 20, 0)} MB, ingest`, `${fmt(lineCount / b.seconds, 0)} lines/s`, `${fmt(b.bytes / 2 ** 20 / b.seconds, 1)} MB/s`, `${lineCount} lines`, '≥ 50,000 lines/s']);
  const seedSeconds = seedRuns(env, cluster, runCount);
  rows.push([`${runCount} runs seeded (insertRun, 30 cells each)`, `${fmt(seedSeconds)} s`, '', '', '']);
  env.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  // a fresh connection: SQLite's page cache is cold (the OS cache is not)
  db2 = openDb(env.file);
  const d = { db: db2 };
  rows.push(['— reads (fresh connection) —', 'first call', 'p50', 'p95', 'target']);
  const q = (input: Partial<ListRunsInput>) => () => listRuns(d, ListRunsInput.parse(input));
  timingRow(`listRuns first page of ${runCount + 2} runs`, timings(q({})), '≤ 20 ms');
  const deep = listRuns(d, ListRunsInput.parse({ limit: 200 })).items.at(-1)!.id - runCount / 2;
  timingRow('listRuns page at the middle (cursor)', timings(q({ cursor: deep })), '≤ 20 ms');
  timingRow("listRuns status 'failed'", timings(q({ status: 'failed' })), '≤ 20 ms');
  timingRow("listRuns pipeline 'resetCluster'", timings(q({ pipeline: 'resetCluster' })), '≤ 20 ms');
  timingRow('listRuns one cluster', timings(q({ clusterId: cluster.loaded.cluster.id })), '≤ 20 ms');
  const page = (afterSeq: number) => () => pageLogs(d, LogsPageInput.parse({ runId: b.runId, host: b.host, stepId: b.stepId, afterSeq }));
  timingRow(`${logMb} MB step log: first page (500 lines)`, timings(page(0), 10), '≤ 1000 ms');
  timingRow(`${logMb} MB step log: page at the middle`, timings(page(Math.floor(lineCount / 2)), 10), '≤ 1000 ms');
  timingRow(`${logMb} MB run: snapshot (cells + log tail)`, timings(() => readRunSnapshot(db2!, b.runId), 10), '');
} finally {
  db2?.$client.close();
  env.close();
}
console.log(`\nScenario 4 — storage: SQLite (WAL) through the recorder and the real services\n`);
console.log(table(['measure', 'value', '', '', 'target'], rows));
