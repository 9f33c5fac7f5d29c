import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { safeNextPath } from '../contracts/auth';
import { openDb } from '../db/client';
import { users } from '../db/schema';
import { isAllowedOrigin, isAllowedSocketOrigin } from './origin';
import { hashPassword, verifyPassword } from './password';
import { createLoginLimiter } from './rate-limit';
import { createSession, hashToken, sessionAlive, SESSION_IDLE_MS, SESSION_TTL_MS, validateSession } from './sessions';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('scrypt hashes are salted per hash and verify only the right password', async () => {
  const a = await hashPassword('correct horse');
  const b = await hashPassword('correct horse');
  assert.notEqual(a, b);
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horsE', a), false);
  assert.equal(await verifyPassword('correct horse', 'garbage'), false);
});

test('sessions: only the token hash is stored; expiry and idle timeout end them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxauth-'));
  dirs.push(dir);
  const db = openDb(path.join(dir, 'k.db'));
  const userId = db.insert(users).values({ username: 'u', passwordHash: 'x' }).returning().get().id;
  const t0 = 1_000_000;
  const { token, session } = createSession(db, userId, { address: '127.0.0.1' }, t0);
  assert.equal(session.tokenHash, hashToken(token));
  assert.equal((db.$client.prepare('select count(*) n from sessions where token_hash = ?').get(token) as { n: number }).n, 0);
  assert.equal(validateSession(db, token, t0 + 1000)?.user.username, 'u');
  assert.equal(validateSession(db, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, t0 + 1000), null);
  assert.equal(validateSession(db, undefined, t0), null);
  assert.equal(validateSession(db, token, t0 + SESSION_IDLE_MS - 1)?.user.id, userId);
  assert.equal(sessionAlive(db, session.tokenHash, t0 + 2 * SESSION_IDLE_MS - 2), true);
  assert.equal(validateSession(db, token, t0 + 2 * SESSION_IDLE_MS), null, 'idle for the whole idle timeout');
  assert.equal(sessionAlive(db, session.tokenHash, t0 + 1), false, 'deleted once found idle');
  const second = createSession(db, userId, {}, t0);
  let now = t0;
  while (now + SESSION_IDLE_MS / 2 < t0 + SESSION_TTL_MS) {
    now += SESSION_IDLE_MS / 2;
    assert.ok(validateSession(db, second.token, now), 'kept alive by use');
  }
  assert.equal(validateSession(db, second.token, t0 + SESSION_TTL_MS), null, 'absolute expiry despite use');
  db.$client.close();
});

test('the login limiter blocks an address after 5 failures within a minute, for the rest of that minute', () => {
  const l = createLoginLimiter();
  const t = 5_000_000;
  for (let i = 0; i < 4; i++) l.fail('a', t + i * 1000);
  assert.equal(l.retryAfter('a', t + 4000), 0);
  l.fail('a', t + 4000);
  assert.equal(l.retryAfter('a', t + 4000), 56);
  assert.equal(l.retryAfter('b', t + 4000), 0, 'other addresses are not affected');
  assert.equal(l.retryAfter('a', t + 59_999), 1);
  assert.equal(l.retryAfter('a', t + 60_000), 0);
  l.fail('a', t + 60_000);
  l.succeed('a');
  assert.equal(l.retryAfter('a', t + 60_001), 0);
  const small = createLoginLimiter({ maxAddresses: 3 });
  for (const a of ['1', '2', '3', '4', '5']) for (let i = 0; i < 5; i++) small.fail(a, t);
  assert.equal(small.retryAfter('5', t) > 0, true);
  assert.equal(small.retryAfter('1', t), 0, 'oldest address evicted past the bound');
});

test('origins: same host as the Host header or the public origin; sockets without Origin only when same-origin', () => {
  const h = { host: '127.0.0.1:3000' };
  assert.equal(isAllowedOrigin('http://127.0.0.1:3000', h, undefined), true);
  assert.equal(isAllowedOrigin('http://127.0.0.1:3001', h, undefined), false);
  assert.equal(isAllowedOrigin('http://evil.example', h, undefined), false);
  assert.equal(isAllowedOrigin('null', h, undefined), false);
  assert.equal(isAllowedOrigin('https://kx.example.com', h, 'https://kx.example.com/'), true);
  assert.equal(isAllowedSocketOrigin({ ...h, origin: 'http://127.0.0.1:3000' }, undefined), true);
  assert.equal(isAllowedSocketOrigin({ ...h, origin: 'http://evil.example' }, undefined), false);
  assert.equal(isAllowedSocketOrigin({ ...h, 'sec-fetch-site': 'same-origin' }, undefined), true);
  assert.equal(isAllowedSocketOrigin({ ...h, 'sec-fetch-site': 'cross-site' }, undefined), false);
  assert.equal(isAllowedSocketOrigin(h, undefined), false);
});

test('safeNextPath keeps same-site paths only', () => {
  assert.equal(safeNextPath('/runs/5?x=1'), '/runs/5?x=1');
  for (const bad of [undefined, null, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', 'runs', '/a\nb', 'javascript:alert(1)']) {
    assert.equal(safeNextPath(bad), '/', String(bad));
  }
});
