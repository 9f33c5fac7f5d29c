import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import { TRPCError } from '@trpc/server';
import { allows, PROCEDURE_RULES, procedureRule, ROLES, WHILE_PASSWORD_EXPIRED, type Role } from '../contracts/access';
import type { Context } from '../trpc/context';
import { createCallerFactory } from '../trpc/init';
import { appRouter } from '../trpc/routers';
import type { AuthUser } from './sessions';

export const routerProcedures = (): string[] => Object.keys(appRouter._def.procedures).sort();

test('every procedure of the router has exactly one rule, and every rule names a procedure', () => {
  const missing = routerProcedures().filter((p) => procedureRule(p) === undefined);
  assert.deepEqual(missing, [], `add these to PROCEDURE_RULES in server/contracts/access.ts: ${missing.join(', ')}`);
  const stale = Object.keys(PROCEDURE_RULES).filter((p) => !routerProcedures().includes(p));
  assert.deepEqual(stale, [], 'rules for procedures that do not exist');
});

/** A context whose services throw when touched: a refused call must be refused before any service runs. */
function ctxFor(user: AuthUser | null): Context {
  const untouchable = new Proxy({}, { get: (_t, key) => { if (key === 'then') return undefined; throw new Error(`service touched: ${String(key)}`); } });
  const res = { appendHeader: () => undefined, setHeader: () => undefined } as unknown as ServerResponse;
  const base = { req: { socket: { remoteAddress: '127.0.0.9' }, headers: {} } as unknown as IncomingMessage, res, user, session: user ? { tokenHash: 'x', userId: user.id, createdAt: 0, lastSeenAt: 0, expiresAt: Date.now() + 60_000 } : null };
  return new Proxy(base, { get: (t, key) => (key in t ? t[key as keyof typeof t] : Reflect.get(untouchable, key)) }) as unknown as Context;
}

async function call(user: AuthUser | null, path: string): Promise<unknown> {
  const caller = createCallerFactory(appRouter)(ctxFor(user)) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
  const [group, name] = path.split('.') as [string, string];
  try {
    await caller[group]![name]!({});
    return null;
  } catch (err) {
    return err;
  }
}

const isAuthzRefusal = (err: unknown, code: 'FORBIDDEN' | 'UNAUTHORIZED') =>
  err instanceof TRPCError && err.code === code && (code === 'UNAUTHORIZED' || /needs the \w+ role|change your password first/.test(err.message));

test('every role × every procedure: refused before any service runs exactly when the table says so', async () => {
  const cases: Array<[Role | null, boolean]> = [[null, false], ...ROLES.map((r): [Role, boolean] => [r, false]), ['admin', true]];
  for (const [role, mustChange] of cases) {
    const user = role ? { id: 7, username: `u-${role}`, role, mustChangePassword: mustChange } : null;
    for (const path of routerProcedures()) {
      const rule = procedureRule(path)!;
      const allowed = allows(role, rule) && (!mustChange || rule === 'public' || WHILE_PASSWORD_EXPIRED.has(path));
      const err = await call(user, path);
      const label = `${role ?? 'anonymous'}${mustChange ? ' (must change password)' : ''} → ${path} (${rule})`;
      if (allowed) {
        assert.ok(!isAuthzRefusal(err, 'FORBIDDEN') && !isAuthzRefusal(err, 'UNAUTHORIZED'), `${label} was refused: ${String(err)}`);
      } else {
        assert.ok(isAuthzRefusal(err, role ? 'FORBIDDEN' : 'UNAUTHORIZED'), `${label} was not refused by the rule: ${String(err)}`);
      }
    }
  }
});
