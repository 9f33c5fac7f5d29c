import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const clusters = sqliteTable('clusters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  spec: text('spec', { mode: 'json' }).notNull().$type<unknown>(),
  draft: integer('draft', { mode: 'boolean' }).notNull().default(false),
  /** the KubeKey file the cluster was imported from, secrets blanked: export writes kubexms' changes into it */
  kubekeySource: text('kubekey_source'),
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch() * 1000)`),
}, (t) => [uniqueIndex('clusters_name_uq').on(t.name)]);

export const hosts = sqliteTable('hosts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clusterId: integer('cluster_id').notNull().references(() => clusters.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  address: text('address').notNull(),
  port: integer('port').notNull().default(22),
  username: text('username').notNull(),
  hostKeyFingerprint: text('host_key_fingerprint'),
  hostKeyAcceptedAt: integer('host_key_accepted_at'),
  facts: text('facts', { mode: 'json' }).$type<unknown>(),
  factsAt: integer('facts_at'),
}, (t) => [uniqueIndex('hosts_cluster_name_uq').on(t.clusterId, t.name)]);

export const credentials = sqliteTable('credentials', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clusterId: integer('cluster_id').notNull().references(() => clusters.id, { onDelete: 'cascade' }),
  path: text('path').notNull(),
  ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  keyId: text('key_id').notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch() * 1000)`),
}, (t) => [uniqueIndex('credentials_cluster_path_uq').on(t.clusterId, t.path), index('credentials_key_idx').on(t.keyId)]);

/** The last status read of each cluster (the report of its latest status run). */
export const clusterStatus = sqliteTable('cluster_status', {
  clusterId: integer('cluster_id').primaryKey().references(() => clusters.id, { onDelete: 'cascade' }),
  runId: integer('run_id'),
  takenAt: integer('taken_at').notNull(),
  report: text('report', { mode: 'json' }).notNull().$type<unknown>(),
});
