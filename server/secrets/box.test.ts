import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { createSecretBox, secretAad, SecretDecryptError } from './box';
import { parseSecretKey } from './key-format';

const key = crypto.randomBytes(32);
const box = createSecretBox(key);

test('seal then open returns the plaintext; each seal uses a fresh nonce', () => {
  const aad = secretAad('credentials', 7, 'hosts.n1.auth.password');
  const a = box.seal('s3cr3t ü', aad);
  const b = box.seal('s3cr3t ü', aad);
  assert.notDeepEqual(a, b);
  assert.notDeepEqual(a.subarray(1, 13), b.subarray(1, 13));
  assert.equal(box.open(a, aad).toString('utf8'), 's3cr3t ü');
  assert.equal(a.includes(Buffer.from('s3cr3t')), false);
});

test('a ciphertext moved to another row, field or table does not open', () => {
  const sealed = box.seal('value', secretAad('credentials', 7, 'hosts.n1.auth.password'));
  for (const aad of [secretAad('credentials', 8, 'hosts.n1.auth.password'), secretAad('credentials', 7, 'hosts.n2.auth.password'), secretAad('hosts', 7, 'hosts.n1.auth.password')]) {
    assert.throws(() => box.open(sealed, aad), SecretDecryptError);
  }
});

test('another key, a flipped bit or a truncated value does not open', () => {
  const aad = 'credentials:1:x';
  const sealed = box.seal('value', aad);
  assert.throws(() => createSecretBox(crypto.randomBytes(32)).open(sealed, aad), SecretDecryptError);
  for (const i of [0, 5, 14, sealed.length - 1]) {
    const bad = Buffer.from(sealed);
    bad[i] = (bad[i] ?? 0) ^ 1;
    assert.throws(() => box.open(bad, aad), SecretDecryptError, `bit flip at ${i}`);
  }
  assert.throws(() => box.open(sealed.subarray(0, 20), aad), SecretDecryptError);
});

test('keyId identifies the key without revealing it', () => {
  assert.equal(createSecretBox(Buffer.from(key)).keyId, box.keyId);
  assert.notEqual(createSecretBox(crypto.randomBytes(32)).keyId, box.keyId);
  assert.equal(box.keyId.includes(key.toString('hex').slice(0, 8)), false);
});

test('parseSecretKey accepts 32 bytes as hex, base64 and base64url, nothing else', () => {
  assert.deepEqual(parseSecretKey(key.toString('hex')), key);
  assert.deepEqual(parseSecretKey(`${key.toString('base64')}\n`), key);
  assert.deepEqual(parseSecretKey(key.toString('base64url')), key);
  for (const bad of ['', 'short', key.toString('hex').slice(2), crypto.randomBytes(31).toString('base64'), crypto.randomBytes(33).toString('base64'), 'z'.repeat(64)]) {
    assert.equal(parseSecretKey(bad), null, bad);
  }
});
