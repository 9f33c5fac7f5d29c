import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { audit } from '../../audit/audit';
import { createApiToken, validateApiToken } from '../../auth/api-tokens';
import { createSession } from '../../auth/sessions';
import { openDb } from '../../db/client';
import { users } from '../../db/schema';
import { createUser, deleteUser, listUsers } from './manage-users';

test("last seen is the latest of a login, a session's activity and a token's use; a deleted namesake's logins do not count", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxusers-'));
  const db = openDb(path.join(dir, 'k.db'));
  const by = { actor: 'admin', address: 'test', userId: 999 };
  const seen = (name: string) => listUsers(db).find((u) => u.username === name)?.lastSeenAt;
  try {
    const { user } = await createUser(db, { username: 'bo', role: 'viewer' }, by);
    assert.equal(seen('bo'), null, 'never signed in');
    const t0 = Date.now() + 10_000;
    audit(db, { actor: 'bo', action: 'auth.login' }, t0);
    assert.equal(seen('bo'), t0);
    createSession(db, user.id, {}, t0 + 5);
    assert.equal(seen('bo'), t0 + 5);
    const { token } = createApiToken(db, user.id, 'ci', t0);
    validateApiToken(db, token, t0 + 90_000);
    assert.equal(seen('bo'), t0 + 90_000);
    deleteUser(db, user.id, by);
    await createUser(db, { username: 'bo', role: 'viewer' }, by);
    db.update(users).set({ createdAt: t0 + 100_000 }).run();
    assert.equal(seen('bo'), null, 'the old login belongs to the deleted user');
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
