import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { clusters } from './clusters';
import { runs } from './runs';

/** A verified etcd snapshot kept in the data dir; a row exists only once the snapshot was checked. */
export const etcdBackups = sqliteTable('etcd_backups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clusterId: integer('cluster_id').notNull().references(() => clusters.id, { onDelete: 'cascade' }),
  runId: integer('run_id').references(() => runs.id, { onDelete: 'set null' }),
  /** relative to the data dir */
  file: text('file').notNull(),
  sha256: text('sha256').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  revision: integer('revision').notNull(),
  totalKeys: integer('total_keys').notNull(),
  /** the member the snapshot was taken on */
  member: text('member').notNull(),
  /** `etcdctl member list` at backup time: name, peer URLs, client URLs */
  members: text('members', { mode: 'json' }).notNull().$type<Array<{ name: string; peerUrls: string[]; clientUrls: string[] }>>(),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
}, (t) => [index('etcd_backups_cluster_idx').on(t.clusterId, t.id)]);

/** One per cluster: the server starts an etcdBackup run every `everyMinutes`; retention applies after every backup. */
export const etcdBackupSchedules = sqliteTable('etcd_backup_schedules', {
  clusterId: integer('cluster_id').primaryKey().references(() => clusters.id, { onDelete: 'cascade' }),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  everyMinutes: integer('every_minutes').notNull(),
  keepLast: integer('keep_last').notNull(),
  maxAgeDays: integer('max_age_days').notNull(),
  lastStartedAt: integer('last_started_at'),
});
