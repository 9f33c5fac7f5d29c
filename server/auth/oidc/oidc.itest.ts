import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { trpcMutation, trpcQuery } from '../../../e2e/support/http-session';
import { startServer, tempDataDir, type ServerProcess } from '../../../e2e/support/server-process';
import { openDb } from '../../db/client';
import { OidcBrowser } from '../testing/oidc-browser';
import { startOidcProvider, type TestProvider } from '../testing/oidc-provider';
import { oidcSettings } from './env';
import { createOidcFlow, OIDC_CALLBACK_PATH, OIDC_START_PATH } from './flow';

// Ports given to this issue: 3651-3659 (3651-3654 here, 3655-3656 in e2e/users.spec.ts; 3659 is only a name, never listened on).
const PROVIDER_PORT = 3651;
const KUBEXMS_PORT = 3653;
const KX = `http://127.0.0.1:${KUBEXMS_PORT}`;
const CALLBACK = `${KX}${OIDC_CALLBACK_PATH}`;
const ACCOUNTS = {
  alice: { email: 'alice@example.com', email_verified: true, groups: ['kx-ops', 'staff'] },
  root: { email: 'root@example.com', email_verified: true, groups: ['kx-admins'] },
  bob: { email: 'bob@corp.example', email_verified: true, groups: [] },
  mallory: { email: 'mallory@corp.example', email_verified: false },
  carol: { email: 'carol@elsewhere.example', email_verified: true, groups: ['staff'] },
};

type Me = { user: { username: string; role: string; mustChangePassword: boolean } } | null;
const dirs: string[] = [];
let provider: TestProvider;
let server: ServerProcess;

before(async () => {
  provider = await startOidcProvider({ port: PROVIDER_PORT, redirectUri: CALLBACK, accounts: ACCOUNTS });
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  server = await startServer({
    dataDir,
    env: {
      PORT: String(KUBEXMS_PORT),
      KUBEXMS_ADMIN_PASSWORD: 'oidc-itest-admin',
      KUBEXMS_OIDC_ISSUER: provider.issuer,
      KUBEXMS_OIDC_CLIENT_ID: provider.clientId,
      KUBEXMS_OIDC_CLIENT_SECRET: provider.clientSecret,
      KUBEXMS_OIDC_ROLE_MAP: 'kx-admins=admin,kx-ops=operator',
      KUBEXMS_OIDC_ALLOWED_DOMAINS: 'corp.example',
    },
  });
});
after(async () => {
  await server?.stop();
  await provider?.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

async function finish(browser: OidcBrowser, callbackUrl: string): Promise<{ me: Me; error: string | null; page: string }> {
  const res = await browser.get(callbackUrl);
  const location = res.headers.get('location');
  const error = location?.startsWith('/login?error=') ? decodeURIComponent(location.slice('/login?error='.length)) : null;
  const page = res.status === 200 ? await res.text() : '';
  const me = await trpcQuery<Me>(KX, 'auth.me', { cookie: browser.cookieHeader() });
  return { me: me.data ?? null, error, page };
}

describe('single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1)', () => {
  test('code flow with PKCE: the role comes from the group claim; the user lands where they were going', async () => {
    const browser = new OidcBrowser();
    const cb = await browser.signInAt(`${KX}${OIDC_START_PATH}?next=%2Fruns`, 'alice', CALLBACK);
    const q = new URL(cb).searchParams;
    assert.ok(q.get('code') && q.get('state'), cb);
    assert.equal(q.get('iss'), provider.issuer, 'the provider names itself in the response (RFC 9207)');
    const { me, error, page } = await finish(browser, cb);
    assert.equal(error, null);
    assert.deepEqual(me?.user && { username: me.user.username, role: me.user.role, must: me.user.mustChangePassword }, { username: 'alice@example.com', role: 'operator', must: false });
    assert.match(page, /http-equiv="refresh" content="0;url=\/runs"/);
    const admin = new OidcBrowser();
    assert.equal((await finish(admin, await admin.signInAt(`${KX}${OIDC_START_PATH}`, 'root', CALLBACK))).me?.user.role, 'admin');
    const list = await trpcQuery<Array<{ id: number; username: string; sso: boolean; lastSeenAt: number | null }>>(KX, 'users.list', { cookie: admin.cookieHeader() });
    const alice = list.data?.find((u) => u.username === 'alice@example.com');
    assert.deepEqual(alice && { sso: alice.sso, seen: alice.lastSeenAt !== null }, { sso: true, seen: true }, 'the users page shows the source as OIDC');
    const reset = await trpcMutation(KX, 'users.resetPassword', { userId: alice!.id }, { cookie: admin.cookieHeader() });
    assert.equal(reset.status, 400);
    assert.match(reset.error?.message ?? '', /signs in with single sign-on and has no password/);
  });

  test('an allowed, verified email domain without a mapped group gets the default role; others are refused', async () => {
    const bob = new OidcBrowser();
    assert.equal((await finish(bob, await bob.signInAt(`${KX}${OIDC_START_PATH}`, 'bob', CALLBACK))).me?.user.role, 'viewer');
    for (const who of ['carol', 'mallory']) {
      const b = new OidcBrowser();
      const { me, error } = await finish(b, await b.signInAt(`${KX}${OIDC_START_PATH}`, who, CALLBACK));
      assert.equal(me, null, who);
      assert.match(error ?? '', /not allowed here/, who);
    }
  });

  test('a tampered state is refused, and the sign-in it belonged to cannot be finished afterwards', async () => {
    const browser = new OidcBrowser();
    const cb = new URL(await browser.signInAt(`${KX}${OIDC_START_PATH}`, 'alice', CALLBACK));
    const real = cb.href;
    cb.searchParams.set('state', `${cb.searchParams.get('state')}x`);
    const tampered = await finish(browser, cb.href);
    assert.equal(tampered.me, null);
    assert.match(tampered.error ?? '', /state/i);
    const late = await finish(browser, real);
    assert.equal(late.me, null);
    assert.match(late.error ?? '', /no sign-in in progress/);
  });

  test('a replayed code is refused: once in the same browser, once spliced into a fresh sign-in', async () => {
    const browser = new OidcBrowser();
    const cb = await browser.signInAt(`${KX}${OIDC_START_PATH}`, 'alice', CALLBACK);
    assert.equal((await finish(browser, cb)).me?.user.username, 'alice@example.com');
    const again = await finish(new OidcBrowser(), cb);
    assert.equal(again.me, null);
    assert.match(again.error ?? '', /no sign-in in progress/);

    const attacker = new OidcBrowser();
    const fresh = new URL(await attacker.signInAt(`${KX}${OIDC_START_PATH}`, 'bob', CALLBACK));
    const spliced = new URL(cb);
    spliced.searchParams.set('state', fresh.searchParams.get('state')!);
    const replay = await finish(attacker, spliced.href);
    assert.equal(replay.me, null);
    assert.match(replay.error ?? '', /invalid_grant|grant request is invalid|PKCE|verif/i);
  });
});

test('a provider whose metadata names another issuer is refused before anyone is sent to it', async () => {
  const impostor = await startOidcProvider({ port: PROVIDER_PORT + 1, issuer: `http://127.0.0.1:${PROVIDER_PORT + 8}`, redirectUri: `http://127.0.0.1:${PROVIDER_PORT + 3}${OIDC_CALLBACK_PATH}`, accounts: ACCOUNTS });
  const dir = tempDataDir();
  dirs.push(dir);
  const db = openDb(`${dir}/k.db`);
  const settings = oidcSettings({ KUBEXMS_OIDC_ISSUER: `http://127.0.0.1:${PROVIDER_PORT + 1}`, KUBEXMS_OIDC_CLIENT_ID: impostor.clientId, KUBEXMS_OIDC_CLIENT_SECRET: impostor.clientSecret, KUBEXMS_OIDC_ROLE_MAP: 'kx-ops=operator' })!;
  const flow = createOidcFlow(settings, { db });
  const web = http.createServer((req, res) => void flow.handle(req, res));
  await new Promise<void>((resolve) => web.listen(PROVIDER_PORT + 3, '127.0.0.1', () => resolve()));
  try {
    const res = await fetch(`http://127.0.0.1:${PROVIDER_PORT + 3}${OIDC_START_PATH}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = res.headers.get('location') ?? '';
    assert.match(decodeURIComponent(location), /^\/login\?error=single sign-on failed: .*issuer/i);
    assert.equal(res.headers.get('set-cookie'), null, 'no sign-in was begun');
  } finally {
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await impostor.close();
    db.$client.close();
  }
});
