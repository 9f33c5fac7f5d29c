import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDb } from '../db/client';
import { audit, listAudit } from './audit';

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
