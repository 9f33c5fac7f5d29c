import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { credentials } from '../db/schema';
import { secretAad, SecretDecryptError, type SecretBox } from './box';

type DbLike = Pick<Db, 'select' | 'insert' | 'delete'>;

export const credentialAad = (clusterId: number, path: string) => secretAad('credentials', clusterId, path);

/** Encrypts and upserts one secret of a cluster (path as in server/contracts/spec-secrets.ts, e.g. hosts.n1.auth.password). */
export function putSecret(db: DbLike, box: SecretBox, clusterId: number, path: string, value: string): void {
  const ciphertext = box.seal(value, credentialAad(clusterId, path));
  db.insert(credentials)
    .values({ clusterId, path, ciphertext, keyId: box.keyId })
    .onConflictDoUpdate({ target: [credentials.clusterId, credentials.path], set: { ciphertext, keyId: box.keyId, updatedAt: Date.now() } })
    .run();
}

function openRow(box: SecretBox, row: { clusterId: number; path: string; ciphertext: Buffer; keyId: string }): string {
  const aad = credentialAad(row.clusterId, row.path);
  if (row.keyId !== box.keyId) throw new SecretDecryptError(aad);
  return box.open(row.ciphertext, aad).toString('utf8');
}

export function getSecret(db: DbLike, box: SecretBox, clusterId: number, path: string): string | undefined {
  const row = db.select().from(credentials).where(and(eq(credentials.clusterId, clusterId), eq(credentials.path, path))).get();
  return row ? openRow(box, row) : undefined;
}

/** Every secret of a cluster by path: what mergeSecrets (server/spec/secrets.ts) takes. Server-side only, never into an API answer. */
export function getSecrets(db: DbLike, box: SecretBox, clusterId: number): Map<string, string> {
  const rows = db.select().from(credentials).where(eq(credentials.clusterId, clusterId)).orderBy(asc(credentials.path)).all();
  return new Map(rows.map((r) => [r.path, openRow(box, r)]));
}

/** Paths that hold a value, for "set" / "not set" in the UI; decrypts nothing. */
export function listSecretPaths(db: DbLike, clusterId: number): string[] {
  return db.select({ path: credentials.path }).from(credentials).where(eq(credentials.clusterId, clusterId)).orderBy(asc(credentials.path)).all().map((r) => r.path);
}

/** Deletes the given paths, or every secret of the cluster when paths is omitted; returns the number deleted. */
export function deleteSecrets(db: DbLike, clusterId: number, paths?: readonly string[]): number {
  if (paths && paths.length === 0) return 0;
  const where = paths ? and(eq(credentials.clusterId, clusterId), inArray(credentials.path, [...paths])) : eq(credentials.clusterId, clusterId);
  return db.delete(credentials).where(where).run().changes;
}
