import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDb } from './client';
import { clusters, runs } from './schema';

test('migrations apply once, keep data on reopen, and enable WAL + foreign keys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxdb-'));
  const file = path.join(dir, 'k.db');
  try {
    const db = openDb(file);
    assert.equal(db.$client.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.$client.pragma('foreign_keys', { simple: true }), 1);
    const [c] = db.insert(clusters).values({ name: 'a', spec: { x: 1 } }).returning().all();
    assert.ok(c);
    db.insert(runs).values({ clusterId: c.id, clusterName: 'a', pipeline: 'p', status: 'queued', specSnapshot: {}, hosts: [] }).run();
    assert.throws(() => db.insert(runs).values({ clusterId: 999, clusterName: 'x', pipeline: 'p', status: 'queued', specSnapshot: {}, hosts: [] }).run(), /FOREIGN KEY/);
    const applied = db.all<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`)[0]?.n;
    db.$client.close();

    const again = openDb(file);
    assert.equal(again.all<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`)[0]?.n, applied);
    assert.equal(again.select().from(runs).all().length, 1);
    assert.deepEqual(again.select().from(clusters).all()[0]?.spec, { x: 1 });
    again.$client.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
