import { eq } from 'drizzle-orm';
import { ClusterStatus } from '../../contracts/cluster-status';
import type { Db } from '../../db/client';
import { clusterStatus } from '../../db/schema';
import { getClusterRow } from '../clusters/cluster-row';

/** Replaces the cluster's last status (written after every status run). */
export function saveClusterStatus(db: Db, clusterId: number, status: ClusterStatus): void {
  const row = { clusterId, runId: status.runId, takenAt: status.takenAt, report: status };
  db.insert(clusterStatus).values(row).onConflictDoUpdate({ target: clusterStatus.clusterId, set: row }).run();
}

/** The last status read of the cluster, or null when no status run has finished yet. */
export function getClusterStatus(deps: { db: Db }, input: { clusterId: number }): ClusterStatus | null {
  getClusterRow(deps.db, input.clusterId);
  const row = deps.db.select().from(clusterStatus).where(eq(clusterStatus.clusterId, input.clusterId)).get();
  if (!row) return null;
  const parsed = ClusterStatus.safeParse(row.report);
  return parsed.success ? parsed.data : null;
}
