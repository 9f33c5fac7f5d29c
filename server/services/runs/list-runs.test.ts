import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ListRunsInput } from '../../contracts/run-api';
import { openDb, type Db } from '../../db/client';
import { listRuns, runsQuery } from './list-runs';

let dir: string;
let db: Db;
const N = 10_000;
const T0 = Date.UTC(2025, 0, 1);
const STATUSES = ['succeeded', 'failed', 'cancelled', 'interrupted'] as const;
const PIPELINES = ['createCluster', 'preflightOnly', 'resetCluster', 'addNodes'] as const;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-runs-'));
  db = openDb(path.join(dir, 'kubexms.db'));
  const sqlite = db.$client;
  for (let c = 1; c <= 10; c++) sqlite.prepare(`insert into clusters (id, name, spec) values (?, ?, '{}')`).run(c, `c${c}`);
  const ins = sqlite.prepare(`insert into runs (cluster_id, cluster_name, pipeline, status, spec_snapshot, hosts, created_at) values (?, ?, ?, ?, '{}', '[]', ?)`);
  sqlite.transaction(() => {
    for (let i = 0; i < N; i++) ins.run((i % 10) + 1, `c${(i % 10) + 1}`, PIPELINES[i % 4], STATUSES[Math.floor(i / 7) % 4], T0 + i * 60_000);
  })();
});
after(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const plan = (input: Partial<ListRunsInput>) => {
  const q = runsQuery(db, ListRunsInput.parse(input)).toSQL();
  return (db.$client.prepare(`explain query plan ${q.sql}`).all(...(q.params as unknown[])) as { detail: string }[]).map((r) => r.detail);
};

test('10,000 runs: every filter combination of runs.list is answered by an index search, never a scan', () => {
  const cases: [Partial<ListRunsInput>, RegExp][] = [
    [{}, /^SEARCH runs USING INTEGER PRIMARY KEY \(rowid<\?\)/],
    [{ cursor: 5000 }, /^SEARCH runs USING INTEGER PRIMARY KEY \(rowid<\?\)/],
    [{ clusterId: 3 }, /^SEARCH runs USING INDEX runs_cluster_idx \(cluster_id=\? AND id<\?\)/],
    [{ clusterId: 3, cursor: 4000 }, /^SEARCH runs USING INDEX runs_cluster_idx/],
    [{ status: 'failed' }, /^SEARCH runs USING INDEX runs_status_idx \(status=\? AND id<\?\)/],
    [{ status: ['failed', 'interrupted'] }, /^SEARCH runs USING INDEX runs_status_idx/],
    [{ deletedCluster: 'c1' }, /^SEARCH runs USING INDEX runs_cluster_idx \(cluster_id=\? AND id<\?\)/],
    [{ pipeline: 'resetCluster' }, /^SEARCH runs USING INDEX runs_pipeline_idx \(pipeline=\? AND id<\?\)/],
    [{ from: T0 + 1000 * 60_000, to: T0 + 2000 * 60_000 }, /^SEARCH runs USING INDEX runs_created_idx \(created_at>\? AND created_at<\?\)/],
    [{ clusterId: 2, status: 'succeeded', pipeline: 'createCluster', from: T0, to: T0 + 5000 * 60_000, cursor: 9000 }, /^SEARCH runs USING INDEX runs_/],
  ];
  for (const [input, expected] of cases) {
    const details = plan(input);
    const shown = `${JSON.stringify(input)}: ${details.join(' | ')}`;
    for (const d of details) assert.ok(!/^SCAN /.test(d), shown);
    assert.match(details[0] ?? '', expected, shown);
  }
});

test('cursor pagination walks a filtered list newest first without gaps or repeats', () => {
  const seen: number[] = [];
  let cursor: number | undefined;
  let pages = 0;
  do {
    const page = listRuns({ db }, ListRunsInput.parse({ clusterId: 4, status: 'failed', limit: 37, ...(cursor ? { cursor } : {}) }));
    seen.push(...page.items.map((r) => r.id));
    for (const r of page.items) assert.equal(r.clusterId === 4 && r.status, 'failed');
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor !== undefined);
  const expected = (db.$client.prepare(`select id from runs where cluster_id = 4 and status = 'failed' order by id desc`).all() as { id: number }[]).map((r) => r.id);
  assert.deepEqual(seen, expected);
  assert.equal(pages, Math.floor(expected.length / 37) + 1);
});

test('date bounds: from inclusive, to exclusive', () => {
  const page = listRuns({ db }, ListRunsInput.parse({ from: T0 + 10 * 60_000, to: T0 + 20 * 60_000, limit: 200 }));
  assert.deepEqual(page.items.map((r) => r.createdAt - T0).reverse(), Array.from({ length: 10 }, (_, i) => (10 + i) * 60_000));
  assert.equal(page.nextCursor, null);
});
