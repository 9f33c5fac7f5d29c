import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../../contracts/access';

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch() * 1000)`),
  role: text('role', { enum: ROLES }).notNull().default('viewer'),
  disabledAt: integer('disabled_at'),
  /** set for a printed or admin-reset password: every procedure but changing it is refused until then */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  /** "issuer sub" of a user created by single sign-on; such users have no usable password */
  oidcSubject: text('oidc_subject'),
}, (t) => [uniqueIndex('users_username_uq').on(t.username), uniqueIndex('users_oidc_subject_uq').on(t.oidcSubject)]);

/** Per-user CLI tokens: shown once at creation, only the SHA-256 is stored; revoking deletes the row. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
}, (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)]);

/** Only the SHA-256 of a session token is stored: a leaked DB cannot be replayed as a cookie. */
export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  address: text('address'),
  userAgent: text('user_agent'),
}, (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]);

export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target'),
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  address: text('address'),
}, (t) => [index('audit_log_action_idx').on(t.action, t.id), index('audit_log_at_idx').on(t.at)]);

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: blob('value', { mode: 'buffer' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch() * 1000)`),
});
