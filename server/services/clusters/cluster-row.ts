import { eq } from 'drizzle-orm';
import { clusters } from '../../db/schema';
import { notFound, ServiceError } from '../../errors';
import type { Tx } from './deps';
import type { Db } from '../../db/client';

export type ClusterRow = typeof clusters.$inferSelect;

export function getClusterRow(db: Db | Tx, clusterId: number): ClusterRow {
  const row = db.select().from(clusters).where(eq(clusters.id, clusterId)).get();
  if (!row) throw notFound(`cluster ${clusterId}`);
  return row;
}

export function savedClusterRow(db: Db | Tx, clusterId: number): ClusterRow {
  const row = getClusterRow(db, clusterId);
  if (row.draft) throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}" is a draft: save it in the wizard first`);
  return row;
}
