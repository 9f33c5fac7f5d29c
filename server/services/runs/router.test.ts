import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { TRPCError } from '@trpc/server';
import { createLoginLimiter } from '../../auth/rate-limit';
import type { Env } from '../../env';
import { createSecretBox } from '../../secrets/box';
import { fakeRunner } from '../../runner/testing/fake-runner';
import type { Context } from '../../trpc/context';
import { createCallerFactory } from '../../trpc/init';
import { appRouter } from '../../trpc/routers';

const f = fakeRunner(() => ({ stdout: 'hello\nworld\n', delayMs: 5 }));
after(() => f.close());
f.registry.register('unit:echo', () => ({ name: 'unit:echo', modules: [{ name: 'M', tasks: [{ name: 'T', runOnRoles: ['control-plane'], steps: [{ name: 'echo', check: async () => false, run: async (ctx) => void (await ctx.run('echo')) }] }] }] }));

const caller = (user: Context['user']) =>
  createCallerFactory(appRouter)({
    env: {} as Env,
    db: f.db,
    secretBox: createSecretBox(Buffer.alloc(32, 1)),
    runner: f.runner,
    version: 'test',
    startedAt: 0,
    loginLimiter: createLoginLimiter(),
    req: { socket: { remoteAddress: '127.0.0.9' }, headers: {} } as unknown as IncomingMessage,
    res: {} as ServerResponse,
    user,
    session: user ? { tokenHash: 'x', userId: user.id, createdAt: 0, lastSeenAt: 0, expiresAt: Date.now() + 60_000 } : null,
  });
const admin = caller({ id: 1, username: 'admin', role: 'admin', mustChangePassword: false });
const code = (c: string) => (e: unknown) => e instanceof TRPCError && e.code === c;
const until = async (cond: () => Promise<boolean>) => {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 10));
};

test('runs and logs procedures need a session', async () => {
  await assert.rejects(caller(null).runs.list({}), code('UNAUTHORIZED'));
  await assert.rejects(caller(null).logs.page({ runId: 1 }), code('UNAUTHORIZED'));
});

test('start → get → list → logs.page; errors map to tRPC codes', async () => {
  const { runId } = await admin.runs.start({ clusterId: f.clusterId, pipeline: 'unit:echo' });
  await until(async () => (await admin.runs.get({ runId })).run.status === 'succeeded');
  const run = await admin.runs.get({ runId });
  assert.deepEqual(run.run.hosts, ['n1']);
  assert.equal(run.run.createdBy, 'admin');
  assert.deepEqual(run.spec.hosts[1]?.sudoPassword, { set: true });
  assert.ok(!JSON.stringify(run).includes('sudo-pass-2'));
  assert.deepEqual(run.cells.map((c) => c.status), ['succeeded']);
  const list = await admin.runs.list({ clusterId: f.clusterId, status: 'succeeded', limit: 1 });
  assert.equal(list.items[0]?.id, runId);
  const page = await admin.logs.page({ runId, host: 'n1', stepId: '0.0.0', limit: 2 });
  assert.deepEqual(page.lines.map((l) => l.text), ['$ echo', 'hello']);
  const rest = await admin.logs.page({ runId, host: 'n1', afterSeq: page.nextSeq!, limit: 100 });
  assert.deepEqual(rest.lines.map((l) => l.text), ['world']);
  assert.equal(rest.nextSeq, null);
  assert.deepEqual(await admin.runs.pipelines(), ['unit:echo']);

  await assert.rejects(admin.runs.get({ runId: 999_999 }), code('NOT_FOUND'));
  await assert.rejects(admin.runs.cancel({ runId }), code('CONFLICT'));
  await assert.rejects(admin.runs.start({ clusterId: f.clusterId, pipeline: 'nope' }), code('BAD_REQUEST'));
  await assert.rejects(admin.runs.start({ clusterId: f.clusterId, pipeline: 'unit:echo', onlyHosts: [] }), code('BAD_REQUEST'));
  await assert.rejects(admin.runs.rerunFailed({ runId }), code('PRECONDITION_FAILED'));
  const retry = await admin.runs.retry({ runId });
  assert.equal((await admin.runs.get({ runId: retry.runId })).run.parentRunId, runId);
  const actions = (f.db.$client.prepare(`select action from audit_log order by id`).all() as { action: string }[]).map((r) => r.action);
  assert.deepEqual(actions, ['run.started', 'run.retried']);
});

test('repeating a confirmed pipeline (etcdRestore, removeNodes) asks for the cluster name again, checked by the server', async () => {
  f.registry.register('etcdRestore', () => ({ name: 'etcdRestore', modules: [{ name: 'M', tasks: [{ name: 'T', runOnRoles: ['control-plane'], steps: [{ name: 'restore', check: async () => false, run: async () => { throw new Error('snapshot damaged'); } }] }] }] }));
  const { name } = f.db.$client.prepare('select name from clusters where id = ?').get(f.clusterId) as { name: string };
  const { runId } = await admin.runs.start({ clusterId: f.clusterId, pipeline: 'etcdRestore', confirmName: name });
  await until(async () => (await admin.runs.get({ runId })).run.status === 'failed');
  const before = (await admin.runs.list({ limit: 200 })).items.length;
  for (const repeat of [admin.runs.retry, admin.runs.rerunFailed]) {
    for (const confirmName of [undefined, `${name}x`]) {
      await assert.rejects(repeat({ runId, ...(confirmName === undefined ? {} : { confirmName }) }), (e: unknown) => {
        assert.ok(e instanceof TRPCError && e.code === 'BAD_REQUEST', String(e));
        assert.match(e.message, new RegExp(`type the cluster's name "${name}" to confirm a re(try|run) of etcdRestore`));
        return true;
      });
    }
  }
  assert.equal((await admin.runs.list({ limit: 200 })).items.length, before, 'a refused repeat starts nothing');
  const retry = await admin.runs.retry({ runId, confirmName: name });
  assert.equal((await admin.runs.get({ runId: retry.runId })).run.parentRunId, runId);
  await until(async () => (await admin.runs.get({ runId: retry.runId })).run.status === 'failed');
  const rerun = await admin.runs.rerunFailed({ runId, confirmName: name });
  assert.equal((await admin.runs.get({ runId: rerun.runId })).run.pipeline, 'etcdRestore');
});
