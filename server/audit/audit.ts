import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog } from '../db/schema';

export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'auth.sessions_revoked',
  'auth.token_created',
  'auth.token_revoked',
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.deleted',
  'user.sessions_revoked',
  'cluster.created',
  'cluster.updated',
  'cluster.deleted',
  'cluster.delete_requested',
  'cluster.delete_kept',
  'run.started',
  'etcd.schedule_changed',
  'run.cancelled',
  'run.retried',
  'hostkey.accepted',
  'hostkey.forgotten',
  'secrets.key_rotated',
  'kubeconfig.downloaded',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** detail must never hold a secret: name what changed (paths, ids), not values. */
export type AuditEntry = { actor: string; action: AuditAction; target?: string | null; detail?: Record<string, unknown> | null; address?: string | null };
export type AuditRecord = { id: number; at: number; actor: string; action: string; target: string | null; detail: Record<string, unknown> | null; address: string | null };

export function audit(db: Pick<Db, 'insert'>, entry: AuditEntry, now = Date.now()): void {
  db.insert(auditLog)
    .values({ at: now, actor: entry.actor.slice(0, 128), action: entry.action, target: entry.target ?? null, detail: entry.detail ?? null, address: entry.address ?? null })
    .run();
}

export type AuditFilter = { actor?: string | undefined; action?: string | undefined; clusterId?: number | undefined; from?: number | undefined; to?: number | undefined };

/** Newest first; pass the returned nextCursor to get the next (older) page. The cluster is the entry's detail.clusterId; from/to bound `at` (inclusive). */
export function listAudit(db: Db, opts: AuditFilter & { limit: number; cursor?: number | undefined }): { items: AuditRecord[]; nextCursor: number | null } {
  const where: SQL[] = [];
  if (opts.cursor !== undefined) where.push(lt(auditLog.id, opts.cursor));
  if (opts.action) where.push(eq(auditLog.action, opts.action));
  if (opts.actor) where.push(eq(auditLog.actor, opts.actor));
  if (opts.clusterId !== undefined) where.push(sql`json_extract(${auditLog.detail}, '$.clusterId') = ${opts.clusterId}`);
  if (opts.from !== undefined) where.push(gte(auditLog.at, opts.from));
  if (opts.to !== undefined) where.push(lte(auditLog.at, opts.to));
  const rows = db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(opts.limit + 1).all();
  const items = rows.slice(0, opts.limit);
  return { items, nextCursor: rows.length > opts.limit ? (items[items.length - 1]?.id ?? null) : null };
}

export type AuditFacets = { actors: string[]; actions: string[]; clusters: { id: number; name: string }[] };

/** What the filters offer: every actor and action seen, and every cluster named in an entry (deleted ones too, by their last name). */
export function auditFacets(db: Db): AuditFacets {
  const c = db.$client;
  const actors = (c.prepare('select distinct actor from audit_log order by actor limit 500').all() as { actor: string }[]).map((r) => r.actor);
  const actions = (c.prepare('select distinct action from audit_log order by action').all() as { action: string }[]).map((r) => r.action);
  const clusters = c
    .prepare(
      `select cid as id,
         coalesce((select name from clusters where clusters.id = cid),
                  (select target from audit_log b where json_extract(b.detail, '$.clusterId') = cid and b.action like 'cluster.%' order by b.id desc limit 1)) as name
       from (select distinct cast(json_extract(detail, '$.clusterId') as integer) as cid from audit_log where json_extract(detail, '$.clusterId') is not null)
       order by cid`,
    )
    .all() as { id: number; name: string | null }[];
  return { actors, actions, clusters: clusters.map((r) => ({ id: r.id, name: r.name ?? `cluster #${r.id}` })) };
}
