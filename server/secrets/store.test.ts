import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDb, type Db } from '../db/client';
import { clusters, credentials } from '../db/schema';
import { createSecretBox, SecretDecryptError } from './box';
import { keyFilePath, SecretKeyError } from './key-source';
import { openSecretBox } from './open-secret-box';
import { rotateSecrets } from './rotate';
import { deleteSecrets, getSecret, getSecrets, listSecretPaths, putSecret } from './store';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function fresh(): { dir: string; file: string; db: Db; clusterId: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxsec-'));
  dirs.push(dir);
  const file = path.join(dir, 'k.db');
  const db = openDb(file);
  const clusterId = db.insert(clusters).values({ name: 'c', spec: {} }).returning().get().id;
  return { dir, file, db, clusterId };
}

test('a generated key file is 0600, reused on the next start, and secrets round-trip by path', () => {
  const { dir, db, clusterId } = fresh();
  const { box, source } = openSecretBox(db, { dataDir: dir });
  assert.equal(source.created, true);
  assert.equal(fs.statSync(keyFilePath(dir)).mode & 0o777, 0o600);
  putSecret(db, box, clusterId, 'hosts.n1.auth.password', 'pw-1');
  putSecret(db, box, clusterId, 'hosts.n1.sudoPassword', 'sudo-1');
  putSecret(db, box, clusterId, 'hosts.n1.auth.password', 'pw-2');
  assert.equal(getSecret(db, box, clusterId, 'hosts.n1.auth.password'), 'pw-2');
  assert.equal(getSecret(db, box, clusterId, 'nope'), undefined);
  assert.deepEqual(listSecretPaths(db, clusterId), ['hosts.n1.auth.password', 'hosts.n1.sudoPassword']);
  assert.deepEqual([...getSecrets(db, box, clusterId)], [['hosts.n1.auth.password', 'pw-2'], ['hosts.n1.sudoPassword', 'sudo-1']]);
  const again = openSecretBox(db, { dataDir: dir });
  assert.equal(again.source.created, false);
  assert.equal(again.box.keyId, box.keyId);
  assert.equal(deleteSecrets(db, clusterId, ['hosts.n1.sudoPassword']), 1);
  assert.equal(deleteSecrets(db, clusterId, []), 0);
  assert.deepEqual(listSecretPaths(db, clusterId), ['hosts.n1.auth.password']);
  assert.equal(deleteSecrets(db, clusterId), 1);
  db.$client.close();
});

test('the SQLite files contain no plaintext secret, in any encoding searched', () => {
  const { dir, file, db, clusterId } = fresh();
  const { box } = openSecretBox(db, { dataDir: dir });
  const secrets = Array.from({ length: 20 }, (_, i) => `plaintext-secret-${i}-${crypto.randomBytes(6).toString('hex')}`);
  secrets.forEach((s, i) => putSecret(db, box, clusterId, `hosts.h${i}.auth.password`, s));
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  putSecret(db, box, clusterId, 'registry.privateRegistry.password', secrets[0] ?? '');
  const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
  assert.ok(bytes.length > 0);
  for (const s of secrets) {
    assert.equal(bytes.includes(Buffer.from(s)), false, s);
    assert.equal(bytes.includes(Buffer.from(s, 'utf16le')), false, s);
    assert.equal(bytes.includes(Buffer.from(Buffer.from(s).toString('base64'))), false, s);
  }
  db.$client.close();
});

test('a ciphertext copied to another path does not decrypt', () => {
  const { dir, db, clusterId } = fresh();
  const { box } = openSecretBox(db, { dataDir: dir });
  putSecret(db, box, clusterId, 'a', 'value-a');
  putSecret(db, box, clusterId, 'b', 'value-b');
  const a = db.select().from(credentials).all().find((r) => r.path === 'a');
  assert.ok(a);
  db.$client.prepare('update credentials set ciphertext = ? where path = ?').run(a.ciphertext, 'b');
  assert.throws(() => getSecret(db, box, clusterId, 'b'), SecretDecryptError);
  db.$client.close();
});

test('a start with another key is refused with a clear message; a missing key file with data too', () => {
  const { dir, db, clusterId } = fresh();
  const { box } = openSecretBox(db, { dataDir: dir });
  putSecret(db, box, clusterId, 'x', 'v');
  const other = crypto.randomBytes(32).toString('base64');
  assert.throws(() => openSecretBox(db, { dataDir: dir, KUBEXMS_SECRET_KEY: other }), (e: unknown) =>
    e instanceof SecretKeyError && /^KUBEXMS_SECRET_KEY does not match the key this data dir was encrypted with/.test(e.message));
  fs.rmSync(keyFilePath(dir));
  assert.throws(() => openSecretBox(db, { dataDir: dir }), /secret\.key is missing but this data dir holds encrypted secrets/);
  assert.equal(fs.existsSync(keyFilePath(dir)), false);
  fs.writeFileSync(keyFilePath(dir), other, { mode: 0o644 });
  fs.chmodSync(keyFilePath(dir), 0o644);
  assert.throws(() => openSecretBox(db, { dataDir: dir }), /readable by other users.*chmod 600/);
  fs.chmodSync(keyFilePath(dir), 0o600);
  assert.throws(() => openSecretBox(db, { dataDir: dir }), /the key in .*secret\.key does not match the key this data dir was encrypted with/);
  db.$client.close();
});

test('rotation re-encrypts every secret; afterwards only the new key opens them', () => {
  const { dir, db, clusterId } = fresh();
  const { box: oldBox } = openSecretBox(db, { dataDir: dir });
  putSecret(db, oldBox, clusterId, 'p1', 'one');
  putSecret(db, oldBox, clusterId, 'p2', 'two');
  const newKey = crypto.randomBytes(32);
  const newBox = createSecretBox(newKey);
  assert.equal(rotateSecrets(db, oldBox, newBox), 2);
  assert.deepEqual([...getSecrets(db, newBox, clusterId)], [['p1', 'one'], ['p2', 'two']]);
  assert.throws(() => getSecret(db, oldBox, clusterId, 'p1'), SecretDecryptError);
  assert.equal(openSecretBox(db, { dataDir: dir, KUBEXMS_SECRET_KEY: newKey.toString('hex') }).box.keyId, newBox.keyId);
  assert.throws(() => openSecretBox(db, { dataDir: dir }), SecretKeyError);
  db.$client.close();
});

test('a rotation that fails half-way changes nothing', () => {
  const { dir, db, clusterId } = fresh();
  const { box } = openSecretBox(db, { dataDir: dir });
  putSecret(db, box, clusterId, 'p1', 'one');
  putSecret(db, box, clusterId, 'p2', 'two');
  const before = db.select().from(credentials).all();
  db.$client.prepare("update credentials set ciphertext = x'00' where path = 'p2'").run();
  assert.throws(() => rotateSecrets(db, box, createSecretBox(crypto.randomBytes(32))), SecretDecryptError);
  const p1 = db.select().from(credentials).all().find((r) => r.path === 'p1');
  assert.deepEqual(p1?.ciphertext, before.find((r) => r.path === 'p1')?.ciphertext);
  assert.equal(openSecretBox(db, { dataDir: dir }).box.keyId, box.keyId);
  db.$client.close();
});
