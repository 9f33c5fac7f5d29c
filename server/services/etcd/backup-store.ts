import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import type { EtcdBackupRecord, EtcdBackupSink } from '../../catalog/etcd/backup-sink';
import type { Db } from '../../db/client';
import { etcdBackups, etcdBackupSchedules } from '../../db/schema';

export const DEFAULT_RETENTION = { keepLast: 10, maxAgeDays: 30 } as const;
const DAY = 86_400_000;

type Row = typeof etcdBackups.$inferSelect;

export function backupDir(dataDir: string, clusterId: number): string {
  return path.join(dataDir, 'etcd-backups', String(clusterId));
}

export function toRecord(dataDir: string, row: Row): EtcdBackupRecord {
  return { ...row, path: path.join(dataDir, row.file) };
}

/** sha256 of a backup's file as it is now, or null when the file is gone. */
export function fileSha256(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function retentionOf(db: Db, clusterId: number): { keepLast: number; maxAgeDays: number } {
  const s = db.select().from(etcdBackupSchedules).where(eq(etcdBackupSchedules.clusterId, clusterId)).get();
  return s ? { keepLast: s.keepLast, maxAgeDays: s.maxAgeDays } : { ...DEFAULT_RETENTION };
}

export function listBackups(db: Db, dataDir: string, clusterId: number): EtcdBackupRecord[] {
  return db.select().from(etcdBackups).where(eq(etcdBackups.clusterId, clusterId)).orderBy(desc(etcdBackups.id)).all().map((r) => toRecord(dataDir, r));
}

/** Backups in the data dir (snapshot files, 0600 in 0700 dirs) indexed in SQLite; what the backup step records into. */
export function etcdBackupStore(db: Db, dataDir: string, now: () => number = Date.now): EtcdBackupSink {
  const get = (id: number) => {
    const row = db.select().from(etcdBackups).where(eq(etcdBackups.id, id)).get();
    return row && toRecord(dataDir, row);
  };
  const remove = (row: Row) => {
    rmSync(path.join(dataDir, row.file), { force: true });
    db.delete(etcdBackups).where(eq(etcdBackups.id, row.id)).run();
  };
  return {
    get,
    byRun: (runId) => {
      const row = db.select().from(etcdBackups).where(eq(etcdBackups.runId, runId)).get();
      return row && toRecord(dataDir, row);
    },
    record: (clusterId, b) => {
      const dir = backupDir(dataDir, clusterId);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
      const name = `${stamp}-rev${b.revision}${b.runId ? `-run${b.runId}` : ''}.db`;
      const tmp = path.join(dir, `.${name}.tmp`);
      writeFileSync(tmp, b.data, { mode: 0o600 });
      renameSync(tmp, path.join(dir, name));
      const { data: _data, ...meta } = b;
      const row = db
        .insert(etcdBackups)
        .values({ ...meta, clusterId, file: path.relative(dataDir, path.join(dir, name)), createdAt: now() })
        .returning()
        .get();
      return toRecord(dataDir, row);
    },
    prune: (clusterId, keep) => {
      const { keepLast, maxAgeDays } = retentionOf(db, clusterId);
      const rows = db.select().from(etcdBackups).where(eq(etcdBackups.clusterId, clusterId)).orderBy(desc(etcdBackups.id)).all();
      const cutoff = now() - maxAgeDays * DAY;
      const gone = rows.filter((r, i) => r.id !== keep && (i >= keepLast || r.createdAt < cutoff));
      for (const r of gone) remove(r);
      return gone.map((r) => r.id);
    },
  };
}

export function backupOfCluster(db: Db, dataDir: string, clusterId: number, id: number): EtcdBackupRecord | undefined {
  const row = db.select().from(etcdBackups).where(and(eq(etcdBackups.id, id), eq(etcdBackups.clusterId, clusterId))).get();
  return row && toRecord(dataDir, row);
}
