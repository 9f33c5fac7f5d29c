import { asc, count, inArray, isNotNull, max } from 'drizzle-orm';
import type { ClusterSummary, LastRun } from '../../contracts/cluster-api';
import { clusters, hosts, runs } from '../../db/schema';
import type { Deps } from './deps';

/** Every cluster with its host count and its newest run (two grouped queries over indexes, then one lookup by id). */
export function listClusters(deps: Pick<Deps, 'db'>): ClusterSummary[] {
  const { db } = deps;
  const rows = db
    .select({ id: clusters.id, name: clusters.name, draft: clusters.draft, version: clusters.version, createdAt: clusters.createdAt, updatedAt: clusters.updatedAt })
    .from(clusters)
    .orderBy(asc(clusters.name))
    .all();
  const hostCounts = new Map(db.select({ id: hosts.clusterId, n: count() }).from(hosts).groupBy(hosts.clusterId).all().map((r) => [r.id, r.n]));
  const latest = db.select({ id: max(runs.id) }).from(runs).where(isNotNull(runs.clusterId)).groupBy(runs.clusterId).all();
  const ids = latest.map((r) => r.id).filter((id): id is number => id !== null);
  const lastRuns = new Map<number, LastRun>();
  if (ids.length > 0) {
    const found = db
      .select({ id: runs.id, clusterId: runs.clusterId, status: runs.status, pipeline: runs.pipeline, createdAt: runs.createdAt, endedAt: runs.endedAt })
      .from(runs)
      .where(inArray(runs.id, ids))
      .all();
    for (const { clusterId, ...run } of found) if (clusterId !== null) lastRuns.set(clusterId, run);
  }
  return rows.map((r) => ({ ...r, hostCount: hostCounts.get(r.id) ?? 0, lastRun: lastRuns.get(r.id) ?? null }));
}

