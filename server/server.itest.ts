import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { loginCookie } from '../e2e/support/http-session';
import { startServer, startServerExpectingFailure, tempDataDir } from '../e2e/support/server-process';

const ADMIN = { KUBEXMS_ADMIN_PASSWORD: 'itest-admin-password' };

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('starts, serves /healthz and tRPC, exits 0 on SIGTERM, and a second start keeps data without re-applying migrations', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const first = await startServer({ dataDir, env: ADMIN });
  const health = await fetch(`${first.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok');
  const info = (await (await fetch(`${first.url}/api/trpc/system.info`, { headers: { cookie: await loginCookie(first.url, ADMIN.KUBEXMS_ADMIN_PASSWORD) } })).json()) as { result: { data: { name: string } } };
  assert.equal(info.result.data.name, 'kubexms');
  assert.equal(await first.stop(), 0);
  assert.match(first.output(), /SIGTERM received/);

  const dbPath = path.join(dataDir, 'kubexms.db');
  const raw = new Database(dbPath);
  const migrations = (raw.prepare('select count(*) n from __drizzle_migrations').get() as { n: number }).n;
  raw.prepare(`insert into clusters (name, spec) values ('keep-me', '{}')`).run();
  raw.close();

  const second = await startServer({ dataDir, env: ADMIN });
  assert.equal(await second.stop(), 0);
  const again = new Database(dbPath, { readonly: true });
  assert.equal((again.prepare('select count(*) n from __drizzle_migrations').get() as { n: number }).n, migrations);
  assert.equal((again.prepare(`select count(*) n from clusters where name = 'keep-me'`).get() as { n: number }).n, 1);
  again.close();
});

test('an invalid env value stops the start with one line naming the variable', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  const bad = await startServerExpectingFailure({ PORT: 'eighty', KUBEXMS_DATA_DIR: dataDir });
  assert.equal(bad.code, 1);
  assert.match(bad.output, /^kubexms: invalid environment variable PORT="eighty"/m);
  assert.deepEqual(fs.readdirSync(dataDir), []);
});

test('a data dir that cannot be written is reported and nothing is created', async () => {
  const parent = tempDataDir();
  dirs.push(parent);
  const file = path.join(parent, 'not-a-dir');
  fs.writeFileSync(file, 'x');
  const bad = await startServerExpectingFailure({ PORT: '0', KUBEXMS_DATA_DIR: path.join(file, 'data') });
  assert.equal(bad.code, 1);
  assert.match(bad.output, /KUBEXMS_DATA_DIR=.* is not a writable directory/);
  assert.deepEqual(fs.readdirSync(parent), ['not-a-dir']);
});
