import fs from 'node:fs';
import type { LoginLimiter } from './auth/rate-limit';
import type { Db } from './db/client';
import type { Env } from './env';
import type { Runner } from './runner/runner';
import type { SecretBox } from './secrets/box';

export type AppServices = {
  env: Env;
  db: Db;
  version: string;
  startedAt: number;
  /** Encrypts/decrypts credentials: use with server/secrets/store.ts. */
  secretBox: SecretBox;
  loginLimiter: LoginLimiter;
  /** Run queue, per-host locks, recorder; runner.bus feeds realtime. */
  runner: Runner;
};

export function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
