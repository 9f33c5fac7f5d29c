import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { FailureKind, RunStatus, StepStatus } from '../../contracts/status';
import { clusters } from './clusters';

export const runs = sqliteTable('runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clusterId: integer('cluster_id').references(() => clusters.id, { onDelete: 'set null' }),
  clusterName: text('cluster_name').notNull(),
  pipeline: text('pipeline').notNull(),
  status: text('status').notNull().$type<RunStatus>(),
  statusReason: text('status_reason'),
  specSnapshot: text('spec_snapshot', { mode: 'json' }).notNull().$type<unknown>(),
  plan: text('plan', { mode: 'json' }).$type<unknown>(),
  options: text('options', { mode: 'json' }).$type<unknown>(),
  hosts: text('hosts', { mode: 'json' }).notNull().$type<string[]>(),
  parentRunId: integer('parent_run_id').references((): AnySQLiteColumn => runs.id, { onDelete: 'set null' }),
  summary: text('summary', { mode: 'json' }).$type<unknown>(),
  lastSeq: integer('last_seq').notNull().default(0),
  createdBy: text('created_by'),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
  startedAt: integer('started_at'),
  endedAt: integer('ended_at'),
}, (t) => [
  index('runs_cluster_idx').on(t.clusterId, t.id),
  index('runs_status_idx').on(t.status, t.id),
  index('runs_pipeline_idx').on(t.pipeline, t.id),
  index('runs_created_idx').on(t.createdAt),
  index('runs_parent_idx').on(t.parentRunId),
]);

export const runCells = sqliteTable('run_cells', {
  runId: integer('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  stepId: text('step_id').notNull(),
  host: text('host').notNull(),
  status: text('status').notNull().$type<StepStatus>(),
  attempts: integer('attempts').notNull().default(0),
  startedAt: integer('started_at'),
  endedAt: integer('ended_at'),
  exitCode: integer('exit_code'),
  errorKind: text('error_kind').$type<FailureKind>(),
  errorMessage: text('error_message'),
  stderrTail: text('stderr_tail'),
  seq: integer('seq').notNull(),
}, (t) => [primaryKey({ columns: [t.runId, t.stepId, t.host] })]);

export const runEvents = sqliteTable('run_events', {
  runId: integer('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  type: text('type').notNull(),
  payload: text('payload', { mode: 'json' }).notNull().$type<unknown>(),
  ts: integer('ts').notNull(),
}, (t) => [primaryKey({ columns: [t.runId, t.seq] })]);

export const runLogs = sqliteTable('run_logs', {
  runId: integer('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  host: text('host'),
  taskId: text('task_id'),
  stepId: text('step_id'),
  stream: text('stream').notNull().$type<'stdout' | 'stderr' | 'system'>(),
  text: text('text').notNull(),
  ts: integer('ts').notNull(),
}, (t) => [primaryKey({ columns: [t.runId, t.seq] }), index('run_logs_cell_idx').on(t.runId, t.host, t.stepId, t.seq)]);
