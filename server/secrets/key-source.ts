import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EnvError } from '../env';
import { parseSecretKey, SECRET_KEY_HINT } from './key-format';

/** A start refused because of the secret key; extends EnvError so the entry point prints one clean line. */
export class SecretKeyError extends EnvError {}

export type KeySource = { key: Buffer; from: 'env' | 'file'; file: string; created: boolean };
type KeyEnv = { dataDir: string; KUBEXMS_SECRET_KEY?: string | undefined };

export const keyFilePath = (dataDir: string) => path.join(dataDir, 'secret.key');

/** Writes a key file readable by the owner only; never overwrites (wx). */
export function writeKeyFile(file: string, key: Buffer): void {
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
}

export function readKeyFile(file: string): Buffer {
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new SecretKeyError(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  const key = parseSecretKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new SecretKeyError(`${file}: the key ${SECRET_KEY_HINT}`);
  return key;
}

/** KUBEXMS_SECRET_KEY wins; else data/secret.key, created (0600) only when allowed (a data dir that holds no secrets yet). */
export function loadSecretKey(env: KeyEnv, opts: { create: boolean }): KeySource {
  const file = keyFilePath(env.dataDir);
  if (env.KUBEXMS_SECRET_KEY !== undefined) {
    const key = parseSecretKey(env.KUBEXMS_SECRET_KEY);
    if (!key) throw new SecretKeyError(`KUBEXMS_SECRET_KEY ${SECRET_KEY_HINT}`);
    return { key, from: 'env', file, created: false };
  }
  if (fs.existsSync(file)) return { key: readKeyFile(file), from: 'file', file, created: false };
  if (!opts.create) {
    throw new SecretKeyError(`${file} is missing but this data dir holds encrypted secrets; restore the original key file or set KUBEXMS_SECRET_KEY`);
  }
  const key = crypto.randomBytes(32);
  writeKeyFile(file, key);
  return { key, from: 'file', file, created: true };
}
