import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { loginCookie, trpcMutation, trpcQuery } from '../../e2e/support/http-session';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';

const PASSWORD = 'itest-admin-password';
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function connect(url: string, opts: { cookie?: string; origin?: string | null; transports?: string[] }): Promise<{ socket: Socket; error: Error | null }> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin !== null) headers.origin = opts.origin ?? url;
  const socket = io(url, { path: '/socket.io/', transports: opts.transports ?? ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, error: null }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}

describe('auth over real HTTP and socket.io', () => {
  let server: ServerProcess;
  before(async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: PASSWORD } });
  });
  after(async () => {
    await server.stop();
  });

  test('without a session: pages redirect to /login, tRPC answers 401 JSON, public paths stay open', async () => {
    for (const [path, next] of [['/', '%2F'], ['/runs/5?x=1', '%2Fruns%2F5%3Fx%3D1']] as const) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), `/login?next=${next}`);
    }
    const login = await fetch(`${server.url}/login`);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /Log in/);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const info = await trpcQuery(server.url, 'system.info');
    assert.equal(info.status, 401);
    assert.equal(info.error?.data?.code, 'UNAUTHORIZED');
    const batch = await fetch(`${server.url}/api/trpc/auth.me,system.info?batch=1&input={}`);
    assert.equal(batch.status, 401);
    const me = await trpcQuery(server.url, 'auth.me');
    assert.equal(me.status, 200);
    assert.equal(me.data, null);
    const forged = await fetch(`${server.url}/api/trpc/system.info`, { headers: { cookie: 'kxms_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(forged.status, 401);
  });

  test('socket.io refuses connections without a valid session or from another origin', async () => {
    const none = await connect(server.url, {});
    assert.ok(none.error, 'no cookie');
    none.socket.close();
    const polling = await connect(server.url, { transports: ['polling'] });
    assert.ok(polling.error, 'no cookie over polling');
    polling.socket.close();
    const cookie = await loginCookie(server.url, PASSWORD);
    const evil = await connect(server.url, { cookie, origin: 'http://evil.example' });
    assert.ok(evil.error, 'foreign origin');
    evil.socket.close();
    const noOrigin = await connect(server.url, { cookie, origin: null, transports: ['polling'] });
    assert.ok(noOrigin.error, 'no Origin and no Sec-Fetch-Site');
    noOrigin.socket.close();
    const ok = await connect(server.url, { cookie });
    assert.equal(ok.error, null);
    ok.socket.close();
    const okPolling = await connect(server.url, { cookie, transports: ['polling'] });
    assert.equal(okPolling.error, null);
    okPolling.socket.close();
  });

  test('CSRF: a mutation without the header or from another origin is refused before it runs', async () => {
    const body = { username: 'admin', password: PASSWORD };
    const noHeader = await trpcMutation(server.url, 'auth.login', body, { headers: { 'x-kubexms-csrf': '' } });
    assert.equal(noHeader.status, 403);
    assert.equal(noHeader.headers.get('set-cookie'), null);
    const evil = await trpcMutation(server.url, 'auth.login', body, { headers: { origin: 'http://evil.example' } });
    assert.equal(evil.status, 403);
    const evilReferer = await trpcMutation(server.url, 'auth.login', body, { headers: { origin: '', referer: 'http://evil.example/page' } });
    assert.equal(evilReferer.status, 403);
    const form = await fetch(`${server.url}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
    assert.equal(form.status, 403);
  });

  test('login sets a HttpOnly SameSite=Strict cookie; logout ends the session and its live socket; all is audited', async () => {
    const res = await trpcMutation<{ user: { username: string } }>(server.url, 'auth.login', { username: 'admin', password: PASSWORD });
    assert.equal(res.status, 200);
    assert.equal(res.data?.user.username, 'admin');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^kxms_session=[A-Za-z0-9_-]{43}; /);
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(setCookie.split('; ').includes(flag), flag);
    assert.equal(/Secure/i.test(setCookie), false, 'plain http: no Secure flag');
    const cookie = setCookie.split(';')[0] ?? '';

    const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(page.status, 200);
    const loginPage = await fetch(`${server.url}/login?next=%2Fruns`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(loginPage.headers.get('location'), '/runs');
    assert.equal((await trpcQuery(server.url, 'system.info', { cookie })).status, 200);

    const live = await connect(server.url, { cookie });
    assert.equal(live.error, null);
    const dropped = new Promise<string>((resolve) => live.socket.once('disconnect', (reason) => resolve(reason)));
    const out = await trpcMutation(server.url, 'auth.logout', {}, { cookie });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /^kxms_session=; .*Max-Age=0/);
    assert.equal(await dropped, 'io server disconnect');
    assert.equal((await trpcQuery(server.url, 'system.info', { cookie })).status, 401);
    const again = await connect(server.url, { cookie });
    assert.ok(again.error);
    again.socket.close();

    const fresh = await loginCookie(server.url, PASSWORD);
    const list = await trpcQuery<{ items: Array<{ action: string; actor: string; address: string }> }>(server.url, 'audit.list', { cookie: fresh, input: { limit: 5 } });
    assert.deepEqual(list.data?.items.slice(0, 3).map((i) => i.action), ['auth.login', 'auth.logout', 'auth.login']);
    assert.equal(list.data?.items[0]?.address, '127.0.0.1');
  });

  test('wrong passwords fail with one message; after 5 failures a minute the address gets 429 with Retry-After, even with the right password', async () => {
    const unknown = await trpcMutation(server.url, 'auth.login', { username: 'nobody', password: 'x' });
    const wrong = await trpcMutation(server.url, 'auth.login', { username: 'admin', password: 'wrong' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.error?.message, wrong.error?.message);
    for (let i = 0; i < 3; i++) assert.equal((await trpcMutation(server.url, 'auth.login', { username: 'admin', password: `wrong${i}` })).status, 401);
    const blocked = await trpcMutation(server.url, 'auth.login', { username: 'admin', password: PASSWORD });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get('set-cookie'), null);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.match(blocked.error?.message ?? '', /too many failed logins/);
    const cookie = await loginCookie(server.url, PASSWORD).catch(() => null);
    assert.equal(cookie, null);
  });
});

test('first start without KUBEXMS_ADMIN_PASSWORD prints a random admin password once; it works', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const env = { KUBEXMS_ADMIN_PASSWORD: '' };
  const first = await startServer({ dataDir, env: { ...env } });
  try {
    const m = /created user "admin" with password: (\S+)/.exec(first.output());
    assert.ok(m?.[1], first.output());
    assert.ok((await loginCookie(first.url, m[1])).startsWith('kxms_session='));
  } finally {
    await first.stop();
  }
  const second = await startServer({ dataDir, env });
  await second.stop();
  assert.doesNotMatch(second.output(), /password/);
  const keyFile = `${dataDir}/secret.key`;
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
});

test('behind https (KUBEXMS_PUBLIC_ORIGIN) the cookie is Secure and that origin may open sockets', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const s = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: PASSWORD, KUBEXMS_PUBLIC_ORIGIN: 'https://kx.example.test' } });
  try {
    const res = await trpcMutation(s.url, 'auth.login', { username: 'admin', password: PASSWORD }, { headers: { origin: 'https://kx.example.test' } });
    assert.equal(res.status, 200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.ok(setCookie.split('; ').includes('Secure'), setCookie);
    const ok = await connect(s.url, { cookie: setCookie.split(';')[0], origin: 'https://kx.example.test' });
    assert.equal(ok.error, null);
    ok.socket.close();
  } finally {
    await s.stop();
  }
});
