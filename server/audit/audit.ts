import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
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

/** Newest first; pass the returned nextCursor to get the next (older) page. */
export function listAudit(db: Db, opts: { limit: number; cursor?: number | undefined; action?: string | undefined }): { items: AuditRecord[]; nextCursor: number | null } {
  const where: SQL[] = [];
  if (opts.cursor !== undefined) where.push(lt(auditLog.id, opts.cursor));
  if (opts.action) where.push(eq(auditLog.action, opts.action));
  const rows = db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(opts.limit + 1).all();
  const items = rows.slice(0, opts.limit);
  return { items, nextCursor: rows.length > opts.limit ? (items[items.length - 1]?.id ?? null) : null };
}
