import fs from 'node:fs';
import type { Db } from './db/client';
import type { Env } from './env';

export type AppServices = {
  env: Env;
  db: Db;
  version: string;
  startedAt: number;
};

export function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
