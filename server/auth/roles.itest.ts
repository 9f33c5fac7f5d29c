import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CSRF_HEADER } from '../contracts/auth';
import { allows, procedureRule, ROLES, type Role } from '../contracts/access';
import { loginCookie, trpcMutation, trpcQuery, type TrpcAnswer } from '../../e2e/support/http-session';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';
import { socketConnect } from '../security/testing/raw-http';
import { appRouter } from '../trpc/routers';

const ADMIN_PASSWORD = 'roles-itest-admin';
const dirs: string[] = [];
let server: ServerProcess;
let admin: string;
const users = {} as Record<Role, { id: number; name: string; password: string; cookie: string }>;

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));

function call(path: string, type: string, headers: Record<string, string>, input: unknown = {}): Promise<TrpcAnswer> {
  const cookie = headers.cookie;
  if (type === 'query') return headers.authorization ? bearerGet(path, headers.authorization, input) : trpcQuery(server.url, path, { ...(cookie ? { cookie } : {}), input });
  return trpcMutation(server.url, path, input, { ...(cookie ? { cookie } : {}), headers: headers.authorization ? { authorization: headers.authorization } : {} });
}

async function bearerGet(path: string, authorization: string, input: unknown): Promise<TrpcAnswer> {
  const res = await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization } });
  const body = (await res.json()) as { result?: { data: unknown }; error?: TrpcAnswer['error'] };
  return { status: res.status, headers: res.headers, data: body.result?.data, error: body.error };
}

/** A login from another loopback address (the server sees 127.0.0.N as a different client). */
function loginFrom(address: string, username: string, password: string): Promise<{ status: number; message: string }> {
  const u = new URL(server.url);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, localAddress: address, method: 'POST', path: '/api/trpc/auth.login', headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: u.origin } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, message: (JSON.parse(text) as { error?: { message: string } }).error?.message ?? '' }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  admin = await loginCookie(server.url, ADMIN_PASSWORD);
  for (const role of ROLES) {
    const name = `${role}1`;
    const created = await trpcMutation<{ user: { id: number }; password: string }>(server.url, 'users.create', { username: name, role }, { cookie: admin });
    assert.equal(created.status, 200, created.error?.message);
    const first = await loginCookie(server.url, created.data!.password, name);
    const blocked = await trpcQuery(server.url, 'system.info', { cookie: first });
    assert.equal(blocked.status, 403, 'a one-time password must be changed first');
    assert.match(blocked.error?.message ?? '', /change your password first/);
    const password = `${name}-own-password`;
    assert.equal((await trpcMutation(server.url, 'auth.changePassword', { current: created.data!.password, next: password }, { cookie: first })).status, 200);
    users[role] = { id: created.data!.user.id, name, password, cookie: first };
  }
});
after(async () => {
  await server?.stop();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe('roles over real HTTP', () => {
  test('every role × every procedure of the router: refused with 403 exactly where the rule table says; 401 without a session', async () => {
    for (const role of [null, ...ROLES] as const) {
      const cookie = role ? await loginCookie(server.url, users[role].password, users[role].name) : undefined;
      // signing out everywhere ends the matrix's own session too: it goes last
      for (const { path, type } of [...procedures].sort((a, b) => Number(a.path === 'auth.logoutEverywhere') - Number(b.path === 'auth.logoutEverywhere'))) {
        const rule = procedureRule(path)!;
        // signing out gets a session of its own, or the rest of the matrix would run signed out
        const own = role && path.startsWith('auth.logout') ? await loginCookie(server.url, users[role].password, users[role].name) : cookie;
        const res = await call(path, type, own ? { cookie: own } : {});
        const label = `${role ?? 'anonymous'} → ${path} (${rule}): ${res.status} ${res.error?.message ?? ''}`;
        if (!allows(role, rule)) assert.equal(res.status, role ? 403 : 401, label);
        else assert.ok(res.status !== 401 && !(res.status === 403 && /needs the/.test(res.error?.message ?? '')), label);
        if (!allows(role, rule) && role) assert.match(res.error?.message ?? '', new RegExp(`needs the ${rule} role`), label);
      }
    }
  });

  test("another user's session ids: a viewer cannot end them, nor list them", async () => {
    const op = await loginCookie(server.url, users.operator.password, users.operator.name);
    const viewer = await loginCookie(server.url, users.viewer.password, users.viewer.name);
    const opSessions = await trpcQuery<Array<{ id: string; current: boolean }>>(server.url, 'auth.sessions', { cookie: op });
    const target = opSessions.data!.find((s) => s.current)!.id;
    const own = await trpcMutation(server.url, 'auth.revokeSession', { sessionId: target }, { cookie: viewer });
    assert.equal(own.status, 404, 'the id of someone else’s session is unknown to the viewer');
    assert.equal((await trpcMutation(server.url, 'users.revokeSession', { userId: users.operator.id, sessionId: target }, { cookie: viewer })).status, 403);
    assert.equal((await trpcQuery(server.url, 'users.sessions', { cookie: viewer, input: { userId: users.operator.id } })).status, 403);
    assert.equal((await trpcQuery(server.url, 'system.info', { cookie: op })).status, 200, 'the operator is still signed in');
    assert.equal((await trpcMutation(server.url, 'users.revokeSession', { userId: users.operator.id, sessionId: target }, { cookie: admin })).status, 200);
    assert.equal((await trpcQuery(server.url, 'system.info', { cookie: op })).status, 401, 'an admin may end it');
  });

  test('user management refuses a missing CSRF header and a foreign Origin, and nothing is created', async () => {
    const noCsrf = await trpcMutation(server.url, 'users.create', { username: 'csrf1', role: 'admin' }, { cookie: admin, headers: { [CSRF_HEADER]: '' } });
    const foreign = await trpcMutation(server.url, 'users.create', { username: 'csrf2', role: 'admin' }, { cookie: admin, headers: { origin: 'http://evil.example' } });
    const foreignDisable = await trpcMutation(server.url, 'users.update', { userId: users.operator.id, disabled: true }, { cookie: admin, headers: { origin: 'http://evil.example' } });
    assert.deepEqual([noCsrf.status, foreign.status, foreignDisable.status], [403, 403, 403]);
    const list = await trpcQuery<Array<{ username: string; disabled: boolean }>>(server.url, 'users.list', { cookie: admin });
    assert.deepEqual(list.data!.map((u) => u.username).filter((n) => n.startsWith('csrf')), []);
    assert.equal(list.data!.find((u) => u.username === users.operator.name)?.disabled, false);
  });

  test('disabling a user ends their sessions, live sockets and CLI tokens at once', async () => {
    const cookie = await loginCookie(server.url, users.operator.password, users.operator.name);
    const token = (await trpcMutation<{ token: string }>(server.url, 'auth.createToken', { name: 'ci' }, { cookie })).data!.token;
    assert.match(token, /^kxt_/);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await call('auth.me', 'query', bearer)).status, 200);
    const me = await call('auth.me', 'query', bearer);
    assert.equal((me.data as { user: { username: string } }).user.username, users.operator.name, 'the token acts as its user');
    assert.equal((await call('clusters.create', 'mutation', { authorization: `Bearer ${(await trpcMutation<{ token: string }>(server.url, 'auth.createToken', { name: 'v' }, { cookie: await loginCookie(server.url, users.viewer.password, users.viewer.name) })).data!.token}` }, { spec: {} })).status, 403, "a viewer's token is a viewer");
    const live = await socketConnect(server.url, cookie);
    assert.equal(live.error, null);
    const dropped = new Promise<string>((resolve) => live.socket.once('disconnect', (reason) => resolve(reason)));
    const off = await trpcMutation(server.url, 'users.update', { userId: users.operator.id, disabled: true }, { cookie: admin });
    assert.equal(off.status, 200, off.error?.message);
    assert.equal(await dropped, 'io server disconnect');
    assert.equal((await trpcQuery(server.url, 'system.info', { cookie })).status, 401);
    assert.equal((await call('system.info', 'query', bearer)).status, 401);
    const again = await loginFrom('127.0.0.5', users.operator.name, users.operator.password);
    assert.deepEqual(again, { status: 403, message: 'this account is disabled; ask an admin' });
    assert.equal((await trpcMutation(server.url, 'users.update', { userId: users.operator.id, disabled: false }, { cookie: admin })).status, 200);
    assert.equal((await call('system.info', 'query', bearer)).status, 200, 'enabled again, the token works again');
    const tokens = await trpcQuery<Array<{ id: number }>>(server.url, 'auth.tokens', { cookie: await loginCookie(server.url, users.operator.password, users.operator.name) });
    assert.equal((await trpcMutation(server.url, 'auth.revokeToken', { tokenId: tokens.data![0]!.id }, { cookie: admin })).status, 404, "an admin's own token list does not hold it");
  });

  test("an admin makes, lists and revokes another user's CLI token; a token never makes one, nor reaches another user's", async () => {
    const made = await trpcMutation<{ token: string; info: { id: number; name: string } }>(server.url, 'users.createToken', { userId: users.viewer.id, name: 'ci bot' }, { cookie: admin });
    assert.equal(made.status, 200, made.error?.message);
    const bearer = { authorization: `Bearer ${made.data!.token}` };
    const me = await call('auth.me', 'query', bearer);
    assert.equal((me.data as { user: { username: string; role: string } }).user.username, users.viewer.name);
    const listed = await trpcQuery<Array<Record<string, unknown>>>(server.url, 'users.tokens', { cookie: admin, input: { userId: users.viewer.id } });
    assert.deepEqual(listed.data!.filter((t) => t.name === 'ci bot').map((t) => [t.id, 'token' in t, JSON.stringify(t).includes(made.data!.token)]), [[made.data!.info.id, false, false]], 'listed by name, never the token');
    const adminToken = (await trpcMutation<{ token: string }>(server.url, 'auth.createToken', { name: 'admin cli' }, { cookie: admin })).data!.token;
    const viaToken = await trpcMutation(server.url, 'users.createToken', { userId: users.viewer.id, name: 'x' }, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(viaToken.status, 403);
    assert.match(viaToken.error?.message ?? '', /a CLI token cannot create tokens; sign in/);
    const wrongUser = await trpcMutation(server.url, 'users.revokeToken', { userId: users.operator.id, tokenId: made.data!.info.id }, { cookie: admin });
    assert.equal(wrongUser.status, 404, "the token id under another user is unknown");
    assert.equal((await call('system.info', 'query', bearer)).status, 200);
    assert.equal((await trpcMutation(server.url, 'users.revokeToken', { userId: users.viewer.id, tokenId: made.data!.info.id }, { cookie: admin })).status, 200);
    assert.equal((await call('system.info', 'query', bearer)).status, 401, 'revoked at once');
    const audit = await trpcQuery<{ items: Array<{ actor: string; action: string; target: string | null; detail: Record<string, unknown> | null }> }>(server.url, 'audit.list', { cookie: admin, input: { limit: 20 } });
    const ours = audit.data!.items.filter((a) => a.target === 'ci bot').map((a) => [a.action, a.actor, a.detail?.user]);
    assert.deepEqual(ours, [['auth.token_revoked', 'admin', users.viewer.name], ['auth.token_created', 'admin', users.viewer.name]]);
  });

  test('every socket.io client event passes the rule table: an event without a rule is refused in its ack, a ruled one runs', async () => {
    const viewer = await loginCookie(server.url, users.viewer.password, users.viewer.name);
    const { socket, error } = await socketConnect(server.url, viewer);
    assert.equal(error, null);
    try {
      const untyped = socket as unknown as { timeout: (ms: number) => { emitWithAck: (event: string, ...args: unknown[]) => Promise<unknown> } };
      assert.deepEqual(await untyped.timeout(5000).emitWithAck('users:list', {}), { ok: false, mode: 'error', error: 'no authorization rule for users:list' });
      assert.equal(await untyped.timeout(5000).emitWithAck('clock:watch'), true);
    } finally {
      socket.close();
    }
  });

  test('the last admin cannot demote or disable themselves', async () => {
    const self = await trpcQuery<{ user: { id: number } }>(server.url, 'auth.me', { cookie: admin });
    const res = await trpcMutation(server.url, 'users.update', { userId: self.data!.user.id, role: 'viewer' }, { cookie: admin });
    assert.equal(res.status, 409);
    assert.match(res.error?.message ?? '', /cannot demote or disable yourself/);
  });

  test('HTTP routes follow the table: a viewer may download logs but never a kubeconfig', async () => {
    const viewer = await loginCookie(server.url, users.viewer.password, users.viewer.name);
    const op = await loginCookie(server.url, users.operator.password, users.operator.name);
    assert.equal((await fetch(`${server.url}/api/runs/999/logs.txt`, { headers: { cookie: viewer } })).status, 404, 'past the gate: no such run');
    // the kubeconfig is handed out by the clusters.kubeconfig procedure (operator), not by a route of its own
    assert.equal((await fetch(`${server.url}/api/clusters/1/kubeconfig`, { headers: { cookie: op } })).status, 404, 'no such HTTP route');
    assert.equal((await trpcMutation(server.url, 'clusters.kubeconfig', { clusterId: 1 }, { cookie: viewer })).status, 403);
    assert.notEqual((await trpcMutation(server.url, 'clusters.kubeconfig', { clusterId: 1 }, { cookie: op })).status, 403);
    assert.equal((await fetch(`${server.url}/api/not-a-route`, { headers: { cookie: admin } })).status, 404);
  });

  test('brute force: 5 failures lock the address, and 5 failures lock the user name from every address, each with a clear message', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await loginFrom('127.0.0.2', users.viewer.name, `wrong-${i}`)).status, 401);
    const sameAddress = await loginFrom('127.0.0.2', users.admin.name, users.admin.password);
    assert.equal(sameAddress.status, 429);
    assert.match(sameAddress.message, /too many failed logins from this address; try again in \d+ s/);
    const otherAddress = await loginFrom('127.0.0.3', users.viewer.name, users.viewer.password);
    assert.equal(otherAddress.status, 429, 'the right password from a fresh address is still refused for that user');
    assert.match(otherAddress.message, /too many failed logins for this user; try again in \d+ s/);
    assert.equal((await loginFrom('127.0.0.3', users.admin.name, users.admin.password)).status, 200, 'other users are not locked out');
  });
});
