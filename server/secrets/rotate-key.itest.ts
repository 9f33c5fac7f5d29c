import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, tempDataDir } from '../../e2e/support/server-process';
import { dbFile, openDb } from '../db/client';
import { clusters } from '../db/schema';
import { createSecretBox } from './box';
import { parseSecretKey } from './key-format';
import { keyFilePath } from './key-source';
import { openSecretBox } from './open-secret-box';
import { getSecrets, putSecret } from './store';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function rotate(dataDir: string, newKeyFile: string, env: Record<string, string> = {}) {
  const { KUBEXMS_SECRET_KEY: _drop, ...base } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/secrets/rotate-key.ts', '--new-key-file', newKeyFile], {
    cwd: REPO_ROOT,
    env: { ...base, KUBEXMS_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('rotate-key re-encrypts with the new key and replaces the data dir key file; a wrong current key changes nothing', () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const db = openDb(dbFile(dataDir));
  const clusterId = db.insert(clusters).values({ name: 'c', spec: {} }).returning().get().id;
  const { box } = openSecretBox(db, { dataDir });
  putSecret(db, box, clusterId, 'hosts.a.auth.password', 'first-secret');
  putSecret(db, box, clusterId, 'hosts.a.sudoPassword', 'second-secret');
  db.$client.close();
  const oldKeyText = fs.readFileSync(keyFilePath(dataDir), 'utf8');

  const newKey = crypto.randomBytes(32);
  const newKeyFile = path.join(dataDir, 'new.key');
  fs.writeFileSync(newKeyFile, newKey.toString('base64'), { mode: 0o600 });
  const wrong = rotate(dataDir, newKeyFile, { KUBEXMS_SECRET_KEY: crypto.randomBytes(32).toString('hex') });
  assert.equal(wrong.code, 1, wrong.out);
  assert.match(wrong.out, /does not match the key this data dir was encrypted with/);
  assert.equal(fs.readFileSync(keyFilePath(dataDir), 'utf8'), oldKeyText);

  const ok = rotate(dataDir, newKeyFile);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /re-encrypted 2 secret\(s\)/);
  assert.deepEqual(parseSecretKey(fs.readFileSync(keyFilePath(dataDir), 'utf8')), newKey);
  assert.equal(fs.statSync(keyFilePath(dataDir)).mode & 0o777, 0o600);
  assert.equal(fs.existsSync(`${keyFilePath(dataDir)}.new`), false);

  const db2 = openDb(dbFile(dataDir));
  const reopened = openSecretBox(db2, { dataDir });
  assert.equal(reopened.box.keyId, createSecretBox(newKey).keyId);
  assert.deepEqual([...getSecrets(db2, reopened.box, clusterId)], [['hosts.a.auth.password', 'first-secret'], ['hosts.a.sudoPassword', 'second-secret']]);
  db2.$client.close();

  const same = rotate(dataDir, newKeyFile);
  assert.equal(same.code, 1);
  assert.match(same.out, /the new key is the current key/);
});
