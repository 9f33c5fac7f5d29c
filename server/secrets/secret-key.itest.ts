import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loginCookie } from '../../e2e/support/http-session';
import { startServer, startServerExpectingFailure, tempDataDir } from '../../e2e/support/server-process';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('a start with another KUBEXMS_SECRET_KEY than the data dir was encrypted with fails with a clear message', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const key = crypto.randomBytes(32);
  const first = await startServer({ dataDir, env: { KUBEXMS_SECRET_KEY: key.toString('base64'), KUBEXMS_ADMIN_PASSWORD: 'secret-key-itest' } });
  assert.equal(await first.stop(), 0);
  assert.equal(fs.existsSync(path.join(dataDir, 'secret.key')), false, 'no key file when the key comes from the environment');

  const other = crypto.randomBytes(32).toString('hex');
  const bad = await startServerExpectingFailure({ PORT: '0', KUBEXMS_DATA_DIR: dataDir, KUBEXMS_SECRET_KEY: other });
  assert.equal(bad.code, 1);
  assert.match(bad.output, /^kubexms: KUBEXMS_SECRET_KEY does not match the key this data dir was encrypted with/m);
  assert.equal(bad.output.includes(other), false, 'the key is never printed');
  assert.doesNotMatch(bad.output, /listening on/);

  const malformed = await startServerExpectingFailure({ PORT: '0', KUBEXMS_DATA_DIR: dataDir, KUBEXMS_SECRET_KEY: 'not-a-key-but-secret-text' });
  assert.equal(malformed.code, 1);
  assert.match(malformed.output, /^kubexms: invalid environment variable KUBEXMS_SECRET_KEY=\(hidden\): must be 32 bytes/m);
  assert.equal(malformed.output.includes('not-a-key-but-secret-text'), false);

  const again = await startServer({ dataDir, env: { KUBEXMS_SECRET_KEY: key.toString('hex') } });
  assert.equal(await again.stop(), 0);
});

test('the database holds neither the admin password nor a session token', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  const s = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: password } });
  let token = '';
  try {
    token = (await loginCookie(s.url, password)).split('=')[1] ?? '';
  } finally {
    await s.stop();
  }
  assert.equal(token.length, 43);
  const bytes = Buffer.concat(fs.readdirSync(dataDir).filter((f) => f.startsWith('kubexms.db')).map((f) => fs.readFileSync(path.join(dataDir, f))));
  assert.ok(bytes.length > 0);
  for (const s of [password, token]) {
    assert.equal(bytes.includes(Buffer.from(s)), false, s);
    assert.equal(bytes.includes(Buffer.from(s, 'utf16le')), false, s);
  }
});
