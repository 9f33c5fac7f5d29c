import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OidcEnv, requireOidcClient } from './auth/oidc/env';
import { parseSecretKey, SECRET_KEY_HINT } from './secrets/key-format';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  KUBEXMS_DATA_DIR: z.string().min(1).default('./data'),
  KUBEXMS_PUBLIC_ORIGIN: z.url().optional(),
  KUBEXMS_SECRET_KEY: z.string().refine((v) => parseSecretKey(v) !== null, { error: SECRET_KEY_HINT }).optional(),
  KUBEXMS_STATUS_AFTER_RUN: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('1'),
  ...OidcEnv,
}).superRefine(requireOidcClient);

export type Env = z.infer<typeof EnvSchema> & { dataDir: string };

export class EnvError extends Error {}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = first?.path.join('.') ?? 'environment';
    const shown = /SECRET|PASSWORD/.test(name) ? '(hidden)' : JSON.stringify(source[name] ?? '');
    throw new EnvError(`invalid environment variable ${name}=${shown}: ${first?.message ?? 'invalid'}`);
  }
  const dataDir = path.resolve(parsed.data.KUBEXMS_DATA_DIR);
  ensureWritableDir(dataDir);
  return { ...parsed.data, dataDir };
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.R_OK);
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new EnvError(`KUBEXMS_DATA_DIR=${dir} is not a writable directory: ${reason}`);
  }
}
