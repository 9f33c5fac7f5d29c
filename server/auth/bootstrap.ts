import crypto from 'node:crypto';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { EnvError } from '../env';
import { hashPassword } from './password';

export const ADMIN_USERNAME = 'admin';
export const MIN_PASSWORD_LENGTH = 8;

/** At first start (no user yet) creates "admin" with KUBEXMS_ADMIN_PASSWORD, or a random password printed this once. */
export async function ensureAdmin(db: Db, source: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<boolean> {
  if (db.select({ id: users.id }).from(users).limit(1).get()) return false;
  const given = source.KUBEXMS_ADMIN_PASSWORD || undefined;
  if (given !== undefined && given.length < MIN_PASSWORD_LENGTH) {
    throw new EnvError(`KUBEXMS_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const password = given ?? crypto.randomBytes(15).toString('base64url');
  db.insert(users).values({ username: ADMIN_USERNAME, passwordHash: await hashPassword(password), role: 'admin', mustChangePassword: given === undefined }).onConflictDoNothing().run();
  if (given === undefined) {
    log(`kubexms: created user "${ADMIN_USERNAME}" with password: ${password}\nkubexms: this password is shown only once and must be changed at the first login.`);
  } else {
    log(`kubexms: created user "${ADMIN_USERNAME}" with the password from KUBEXMS_ADMIN_PASSWORD`);
  }
  return true;
}
