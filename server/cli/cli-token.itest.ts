import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import { loginCookie, trpcMutation, trpcQuery } from '../../e2e/support/http-session';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';
import { kubexms, writeLabClusterFile, type CliResult } from './testing/cli-process';

const PASSWORD = 'cli-token-itest-admin';
let dir: string;
let dataDir: string;
let file: string;
let server: ServerProcess;
const tokens = {} as Record<'viewer' | 'operator', { token: string; id: number; name: string; user: string; cookie: string }>;
const outputs: CliResult[] = [];

async function as(role: 'viewer' | 'operator', args: string[]): Promise<CliResult> {
  const r = await kubexms(args, dataDir, 120_000, { KUBEXMS_TOKEN: tokens[role].token });
  outputs.push(r);
  return r;
}

const db = () => new Database(path.join(dataDir, 'kubexms.db'), { readonly: true });
function auditRows(): Array<{ actor: string; action: string; target: string | null }> {
  const d = db();
  try {
    return d.prepare('select actor, action, target from audit_log order by id').all() as Array<{ actor: string; action: string; target: string | null }>;
  } finally {
    d.close();
  }
}

before(async () => {
  const hosts = await labHosts(2);
  dir = tempDataDir('kubexms-cli-token-');
  dataDir = path.join(dir, 'data');
  file = path.join(dir, 'cluster.yaml');
  writeLabClusterFile(file, 'token-itest', hosts, labControl.paths().key);
  server = await startServer({ dataDir, env: { KUBEXMS_ADMIN_PASSWORD: PASSWORD } });
  const admin = await loginCookie(server.url, PASSWORD);
  for (const role of ['viewer', 'operator'] as const) {
    const user = `${role}-cli`;
    const created = await trpcMutation<{ password: string }>(server.url, 'users.create', { username: user, role }, { cookie: admin });
    assert.equal(created.status, 200, created.error?.message);
    const cookie = await loginCookie(server.url, created.data!.password, user);
    assert.equal((await trpcMutation(server.url, 'auth.changePassword', { current: created.data!.password, next: `${user}-password` }, { cookie })).status, 200);
    const made = await trpcMutation<{ token: string; info: { id: number } }>(server.url, 'auth.createToken', { name: `${role} laptop` }, { cookie });
    assert.equal(made.status, 200, made.error?.message);
    tokens[role] = { token: made.data!.token, id: made.data!.info.id, name: `${role} laptop`, user, cookie };
  }
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a viewer's token: the CLI's cluster save is refused with the rule, exit 1, nothing saved or run", async () => {
  const r = await as('viewer', ['preflight', '-f', file, '--accept-new-host-keys']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^kubexms: clusters\.create needs the operator role; you are viewer$/m);
  const d = db();
  assert.equal((d.prepare('select count(*) n from clusters').get() as { n: number }).n, 0);
  assert.equal((d.prepare('select count(*) n from runs').get() as { n: number }).n, 0);
  d.close();
});

test("an operator's token runs a preflight through the server; the audit log and the run name the user and the token", async () => {
  const r = await as('operator', ['preflight', '-f', file, '--accept-new-host-keys']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, new RegExp(`through the server at ${server.url.replace(/[.]/g, '\\.')}`));
  const runId = Number(/^run #(\d+) preflightOnly: succeeded/m.exec(r.stdout)?.[1]);
  assert.ok(runId > 0, r.stdout);
  const by = `${tokens.operator.user} (token #${tokens.operator.id} "${tokens.operator.name}")`;
  const rows = auditRows().filter((a) => ['cluster.created', 'hostkey.accepted', 'run.started'].includes(a.action));
  assert.deepEqual(rows.map((a) => [a.action, a.actor]), [['cluster.created', by], ['hostkey.accepted', by], ['hostkey.accepted', by], ['run.started', by]]);
  const list = await as('viewer', ['runs', 'list', '-o', 'json']);
  assert.equal(list.code, 0, list.stderr);
  const runs = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; createdBy: string | null });
  assert.deepEqual(runs.map((x) => [x.id, x.createdBy]), [[runId, by]], 'a viewer token reads the runs, and the run says who started it');
});

test("a viewer's token cannot retry a run (the rule's message), an operator's can", async () => {
  const runId = (await trpcQuery<{ items: Array<{ id: number }> }>(server.url, 'runs.list', { cookie: tokens.viewer.cookie, input: { limit: 1 } })).data!.items[0]!.id;
  const refused = await as('viewer', ['runs', 'retry', String(runId)]);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /^kubexms: runs\.retry needs the operator role; you are viewer$/m);
  const retried = await as('operator', ['runs', 'retry', String(runId)]);
  assert.equal(retried.code, 0, retried.stdout + retried.stderr);
  assert.ok(auditRows().some((a) => a.action === 'run.retried' && a.actor.startsWith(`${tokens.operator.user} (token #${tokens.operator.id} `)));
});

test('a revoked token is refused with a clear message, and a token can never mint another token', async () => {
  const minted = await trpcMutation(server.url, 'auth.createToken', { name: 'from a token' }, { headers: { authorization: `Bearer ${tokens.operator.token}` } });
  assert.equal(minted.status, 403);
  assert.match(minted.error?.message ?? '', /a CLI token cannot create tokens/);
  assert.equal((await trpcMutation(server.url, 'auth.revokeToken', { tokenId: tokens.operator.id }, { cookie: tokens.operator.cookie })).status, 200);
  const r = await as('operator', ['runs', 'list']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /refused KUBEXMS_TOKEN: it is revoked or unknown, or its user is disabled/);
  assert.ok(auditRows().some((a) => a.action === 'auth.token_revoked' && a.actor === tokens.operator.user && a.target === tokens.operator.name));
});

test('no token ever appears in CLI output, the server log or the database', () => {
  assert.equal(outputs.length, 6, 'every CLI call of this file is checked');
  const d = db();
  const dump = (d.prepare("select group_concat(actor || coalesce(target,'') || coalesce(detail,''), '|') t from audit_log").get() as { t: string }).t;
  d.close();
  for (const { token } of Object.values(tokens)) {
    for (const o of outputs) assert.ok(!o.stdout.includes(token) && !o.stderr.includes(token), 'token printed by the CLI');
    assert.ok(!server.output().includes(token), 'token in the server log');
    assert.ok(!dump.includes(token), 'token in the audit log');
    for (const f of ['kubexms.db', 'kubexms.db-wal'].map((n) => path.join(dataDir, n)).filter((f) => fs.existsSync(f))) {
      assert.ok(!fs.readFileSync(f).includes(token), `token stored in clear in ${f}`);
    }
  }
});
