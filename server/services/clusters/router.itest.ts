import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { TRPCError } from '@trpc/server';
import { createLoginLimiter } from '../../auth/rate-limit';
import type { Env } from '../../env';
import { validDraft } from '../../spec/fixtures/valid-spec';
import type { Context } from '../../trpc/context';
import { createCallerFactory } from '../../trpc/init';
import { appRouter } from '../../trpc/routers';
import { ServiceError } from '../../errors';
import { testEnv } from '../testing/test-env';

describe('clusters tRPC router', () => {
  const env = testEnv();
  after(() => env.close());
  const caller = (user: Context['user']) =>
    createCallerFactory(appRouter)({
      ...env,
      env: {} as Env,
      version: 'test',
      startedAt: 0,
      loginLimiter: createLoginLimiter(),
      runner: {} as Context['runner'],
      req: { socket: { remoteAddress: '127.0.0.9' }, headers: {} } as unknown as IncomingMessage,
      res: {} as ServerResponse,
      user,
      session: user ? { tokenHash: 'x', userId: user.id, createdAt: 0, lastSeenAt: 0, expiresAt: Date.now() + 60_000 } : null,
    });
  const admin = caller({ id: 1, username: 'admin', role: 'admin', mustChangePassword: false });

  it('refuses callers without a session', async () => {
    await assert.rejects(caller(null).clusters.list(), (e: unknown) => e instanceof TRPCError && e.code === 'UNAUTHORIZED');
  });

  it('validates, maps service errors with field errors, audits the user and address, and never answers a secret', async () => {
    await assert.rejects(admin.clusters.get({ clusterId: -1 }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST');
    const bad = { ...validDraft(), name: 'Bad Name' };
    await assert.rejects(admin.clusters.create({ spec: bad }), (e: unknown) => {
      return e instanceof TRPCError && e.code === 'BAD_REQUEST' && e.cause instanceof ServiceError && e.cause.fieldErrors.some((f) => f.path === 'name');
    });
    const saved = await admin.clusters.create({ spec: validDraft() });
    const got = await admin.clusters.get({ clusterId: saved.id });
    assert.ok(!JSON.stringify(got).includes('ssh-pass-2') && !JSON.stringify(got).includes('reg-pass-1'));
    assert.deepEqual((await admin.clusters.list()).map((c) => [c.name, c.hostCount, c.lastRun]), [['demo', 3, null]]);
    const yaml = await admin.clusters.exportKubeKey({ clusterId: saved.id });
    assert.match(yaml.text, /kind: Cluster/);
    assert.ok(!yaml.text.includes('ssh-pass-2'));
    const back = await admin.clusters.importKubeKey({ text: yaml.text });
    assert.deepEqual(back.spec?.hosts.map((h) => h.name), ['n1', 'n2', 'n3']);
    await assert.rejects(admin.clusters.delete({ clusterId: saved.id, confirmName: 'dem' }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST');
    await admin.clusters.delete({ clusterId: saved.id, confirmName: 'demo' });
    const rows = env.db.$client.prepare('select actor, action, address from audit_log order by id').all();
    assert.deepEqual(rows, [
      { actor: 'admin', action: 'cluster.created', address: '127.0.0.9' },
      { actor: 'admin', action: 'cluster.deleted', address: '127.0.0.9' },
    ]);
  });
});
