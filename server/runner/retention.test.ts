import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDb } from '../db/client';
import { Retention, retentionFromEnv } from './retention';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-retention-'));
const db = openDb(path.join(dir, 'kubexms.db'));
after(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const sqlite = db.$client;
const DAY = 86_400_000;
const now = Date.now();

function addRun(clusterId: number | null, status: string, ageDays: number, lines = 300): number {
  const id = Number(
    sqlite.prepare(`insert into runs (cluster_id, cluster_name, pipeline, status, spec_snapshot, hosts, created_at) values (?, 'c', 'p', ?, '{}', '[]', ?)`).run(clusterId, status, now - ageDays * DAY)
      .lastInsertRowid,
  );
  const log = sqlite.prepare(`insert into run_logs (run_id, seq, host, stream, text, ts) values (?, ?, 'h', 'stdout', 'x', 0)`);
  for (let s = 1; s <= lines; s++) log.run(id, s);
  sqlite.prepare(`insert into run_events (run_id, seq, type, payload, ts) values (?, ?, 'run.status', '{}', 0)`).run(id, lines + 1);
  sqlite.prepare(`insert into run_cells (run_id, step_id, host, status, seq) values (?, '0.0.0', 'h', 'succeeded', 1)`).run(id);
  return id;
}
const ids = (sql: string) => (sqlite.prepare(sql).all() as { id: number }[]).map((r) => r.id);
const count = (table: string, runId: number) => (sqlite.prepare(`select count(*) n from ${table} where run_id = ?`).get(runId) as { n: number }).n;

test('keep-last-N per cluster and max age delete old finished runs with their logs, in small batches, never queued or running ones', async () => {
  for (let c = 1; c <= 2; c++) sqlite.prepare(`insert into clusters (id, name, spec) values (?, ?, '{}')`).run(c, `c${c}`);
  const running = addRun(1, 'running', 30);
  const queued = addRun(1, 'queued', 29);
  const a = Array.from({ length: 6 }, (_, i) => addRun(1, i % 2 ? 'failed' : 'succeeded', 20 - i));
  const b = Array.from({ length: 3 }, (_, i) => addRun(2, 'succeeded', 100 - i));
  const orphan = addRun(null, 'cancelled', 1);

  const retention = new Retention(db, { keepPerCluster: 3, maxAgeMs: 60 * DAY, batchRows: 100 });
  assert.deepEqual(retention.expiredRunIds(now), [...b, ...a.slice(0, 3)].sort((x, y) => x - y));

  let interleaved = 0;
  const tick = () => {
    interleaved += 1;
    if (interleaved < 1000) setImmediate(tick);
  };
  setImmediate(tick);
  const deleted = await retention.schedule();
  const ticksDuringSweep = interleaved;
  assert.equal(deleted, 6);
  assert.ok(ticksDuringSweep >= 6 * 3, `the sweep yielded to other work between batches (${ticksDuringSweep} turns)`);
  assert.deepEqual(ids('select id from runs order by id'), [running, queued, ...a.slice(3), orphan]);
  for (const gone of [...a.slice(0, 3), ...b]) assert.deepEqual([count('run_logs', gone), count('run_events', gone), count('run_cells', gone)], [0, 0, 0]);
  for (const kept of [running, queued, ...a.slice(3)]) assert.equal(count('run_logs', kept), 300);
  assert.equal(await retention.schedule(), 0);
});

test('retention settings come from KUBEXMS_RUNS_KEEP and KUBEXMS_RUNS_MAX_AGE_DAYS; 0 turns a limit off; garbage is refused', () => {
  assert.deepEqual(retentionFromEnv({}), { keepPerCluster: 500, maxAgeMs: null, batchRows: 500 });
  assert.deepEqual(retentionFromEnv({ KUBEXMS_RUNS_KEEP: '0', KUBEXMS_RUNS_MAX_AGE_DAYS: '30' }), { keepPerCluster: null, maxAgeMs: 30 * DAY, batchRows: 500 });
  assert.throws(() => retentionFromEnv({ KUBEXMS_RUNS_KEEP: '-1' }), /KUBEXMS_RUNS_KEEP/);
  assert.throws(() => retentionFromEnv({ KUBEXMS_RUNS_MAX_AGE_DAYS: 'ten' }), /KUBEXMS_RUNS_MAX_AGE_DAYS/);
});
