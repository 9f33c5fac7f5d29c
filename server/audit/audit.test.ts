import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDb } from '../db/client';
import { audit, auditFacets, listAudit } from './audit';

test('audit entries page newest first by cursor, filter by action, and keep detail as JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxaudit-'));
  const db = openDb(path.join(dir, 'k.db'));
  try {
    for (let i = 0; i < 7; i++) audit(db, { actor: 'admin', action: i % 2 ? 'auth.login' : 'cluster.created', target: `c${i}`, detail: { i }, address: '127.0.0.1' }, 1000 + i);
    const first = listAudit(db, { limit: 3 });
    assert.deepEqual(first.items.map((r) => r.target), ['c6', 'c5', 'c4']);
    assert.deepEqual(first.items[0]?.detail, { i: 6 });
    const second = listAudit(db, { limit: 3, cursor: first.nextCursor ?? undefined });
    assert.deepEqual(second.items.map((r) => r.target), ['c3', 'c2', 'c1']);
    const last = listAudit(db, { limit: 3, cursor: second.nextCursor ?? undefined });
    assert.deepEqual(last.items.map((r) => r.target), ['c0']);
    assert.equal(last.nextCursor, null);
    assert.deepEqual(listAudit(db, { limit: 10, action: 'auth.login' }).items.map((r) => r.target), ['c5', 'c3', 'c1']);
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('audit filters by actor, action, cluster (detail.clusterId, deleted clusters by their last name) and time range, together', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxaudit-'));
  const db = openDb(path.join(dir, 'k.db'));
  try {
    audit(db, { actor: 'admin', action: 'cluster.created', target: 'alpha', detail: { clusterId: 7 } }, 1000);
    audit(db, { actor: 'ops', action: 'run.started', target: 'run #1', detail: { runId: 1, clusterId: 7 } }, 2000);
    audit(db, { actor: 'ops', action: 'run.started', target: 'run #2', detail: { runId: 2, clusterId: 8 } }, 3000);
    audit(db, { actor: 'admin', action: 'cluster.deleted', target: 'alpha', detail: { clusterId: 7 } }, 4000);
    audit(db, { actor: 'admin', action: 'auth.login' }, 5000);
    const targets = (f: Parameters<typeof listAudit>[1]) => listAudit(db, f).items.map((r) => r.target);
    assert.deepEqual(targets({ limit: 10, actor: 'ops' }), ['run #2', 'run #1']);
    assert.deepEqual(targets({ limit: 10, clusterId: 7 }), ['alpha', 'run #1', 'alpha']);
    assert.deepEqual(targets({ limit: 10, clusterId: 7, action: 'run.started' }), ['run #1']);
    assert.deepEqual(targets({ limit: 10, from: 2000, to: 4000 }), ['alpha', 'run #2', 'run #1']);
    assert.deepEqual(targets({ limit: 10, actor: 'admin', from: 3500 }), [null, 'alpha']);
    assert.deepEqual(targets({ limit: 10, actor: 'nobody' }), []);
    const facets = auditFacets(db);
    assert.deepEqual(facets.actors, ['admin', 'ops']);
    assert.deepEqual(facets.actions, ['auth.login', 'cluster.created', 'cluster.deleted', 'run.started']);
    assert.deepEqual(facets.clusters, [{ id: 7, name: 'alpha' }, { id: 8, name: 'cluster #8' }]);
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
