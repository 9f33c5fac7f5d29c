import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { clusters, etcdBackups } from '../../db/schema';
import { ServiceError } from '../../errors';
import { fileSha256, toRecord } from './backup-store';

const refuse = (message: string) => new ServiceError('BAD_REQUEST', message, [{ path: 'backupId', message }]);

/** Before an etcdRestore run exists: the backup is this cluster's and its file is exactly what was recorded. */
export function checkRestorable(db: Db, dataDir: string, clusterId: number, backupId: number | undefined): void {
  if (backupId === undefined) throw refuse('say which backup to restore');
  const row = db.select().from(etcdBackups).where(eq(etcdBackups.id, backupId)).get();
  if (!row) throw refuse(`there is no backup #${backupId}`);
  if (row.clusterId !== clusterId) {
    const owner = db.select({ name: clusters.name }).from(clusters).where(eq(clusters.id, row.clusterId)).get()?.name ?? `#${row.clusterId}`;
    const mine = db.select({ name: clusters.name }).from(clusters).where(eq(clusters.id, clusterId)).get()?.name ?? `#${clusterId}`;
    throw refuse(`backup #${backupId} belongs to cluster "${owner}", not "${mine}"`);
  }
  const rec = toRecord(dataDir, row);
  const sha = fileSha256(rec.path);
  if (sha === null) throw refuse(`backup #${backupId}: its snapshot file ${rec.path} is missing`);
  if (sha !== rec.sha256) throw refuse(`backup #${backupId}: its snapshot file has sha256 ${sha}, but ${rec.sha256} was recorded when it was verified; it is damaged or was replaced`);
}
