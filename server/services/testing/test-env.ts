import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../db/client';
import { createSecretBox } from '../../secrets/box';
import type { Actor, Deps } from '../clusters/deps';

export type TestEnv = Deps & { dir: string; file: string; close: () => void };

/** A real SQLite file (WAL) in a temp dir and a random secret key, for *.itest.ts. */
export function testEnv(): TestEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-clusters-'));
  const file = path.join(dir, 'kubexms.db');
  const db: Db = openDb(file);
  let open = true;
  return {
    dir,
    file,
    db,
    secretBox: createSecretBox(crypto.randomBytes(32)),
    close: () => {
      if (open) db.$client.close();
      open = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const tester: Actor = { actor: 'tester', address: '127.0.0.1' };

export function rowCounts(db: Db): Record<string, number> {
  const n = (t: string) => (db.$client.prepare(`select count(*) n from ${t}`).get() as { n: number }).n;
  return { clusters: n('clusters'), hosts: n('hosts'), credentials: n('credentials'), audit_log: n('audit_log') };
}

/** Every file SQLite writes for the database (main file, WAL, shared memory), as bytes. */
export function dbBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}
