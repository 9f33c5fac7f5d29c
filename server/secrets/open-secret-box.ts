import fs from 'node:fs';
import { count, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { credentials, meta } from '../db/schema';
import { createSecretBox, secretAad, type SecretBox } from './box';
import { loadSecretKey, SecretKeyError, type KeySource } from './key-source';

const CHECK_KEY = 'secret_key_check';
const CHECK_AAD = secretAad('meta', CHECK_KEY, 'value');
const CHECK_TEXT = 'kubexms secret key check v1';

function checkMatches(box: SecretBox, sealed: Buffer): boolean {
  try {
    return box.open(sealed, CHECK_AAD).toString('utf8') === CHECK_TEXT;
  } catch {
    return false;
  }
}

/** Stores an encrypted known text so a start with another key is refused before any credential is used. */
export function writeKeyCheck(db: Pick<Db, 'insert'>, box: SecretBox): void {
  const value = box.seal(CHECK_TEXT, CHECK_AAD);
  db.insert(meta).values({ key: CHECK_KEY, value }).onConflictDoUpdate({ target: meta.key, set: { value, updatedAt: Date.now() } }).run();
}

function mismatch(source: KeySource): SecretKeyError {
  if (source.from === 'env') {
    const hint = fs.existsSync(source.file) ? ` (a key file exists at ${source.file}: unset KUBEXMS_SECRET_KEY to use it)` : '';
    return new SecretKeyError(`KUBEXMS_SECRET_KEY does not match the key this data dir was encrypted with${hint}`);
  }
  return new SecretKeyError(`the key in ${source.file} does not match the key this data dir was encrypted with; restore the original key file or set KUBEXMS_SECRET_KEY to the original key`);
}

/** Loads the key and proves it is the one the data dir was encrypted with; throws SecretKeyError otherwise. */
export function openSecretBox(db: Db, env: { dataDir: string; KUBEXMS_SECRET_KEY?: string | undefined }): { box: SecretBox; source: KeySource } {
  const check = db.select().from(meta).where(eq(meta.key, CHECK_KEY)).get();
  const stored = db.select({ n: count() }).from(credentials).get()?.n ?? 0;
  const source = loadSecretKey(env, { create: !check && stored === 0 });
  const box = createSecretBox(source.key);
  if (check) {
    if (!checkMatches(box, check.value)) throw mismatch(source);
  } else {
    const foreign = db.select({ n: count() }).from(credentials).where(ne(credentials.keyId, box.keyId)).get()?.n ?? 0;
    if (foreign > 0) throw mismatch(source);
    writeKeyCheck(db, box);
  }
  return { box, source };
}
