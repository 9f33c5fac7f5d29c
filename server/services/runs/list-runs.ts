import { and, asc, desc, eq, gte, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import type { ListRunsInput, ListRunsResult } from '../../contracts/run-api';
import type { Db } from '../../db/client';
import { runs } from '../../db/schema';
import { runInfoColumns, toRunInfo } from '../../db/runs';

/** Newest first by id; every filter combination is answered from an index (the id bound is always set so even no filter is a SEARCH). */
export function runsQuery(db: Db, input: ListRunsInput) {
  const where: SQL[] = [lt(runs.id, input.cursor ?? Number.MAX_SAFE_INTEGER)];
  if (input.clusterId !== undefined) where.push(eq(runs.clusterId, input.clusterId));
  if (input.deletedCluster !== undefined) where.push(isNull(runs.clusterId), eq(runs.clusterName, input.deletedCluster));
  if (input.status !== undefined) where.push(Array.isArray(input.status) ? inArray(runs.status, input.status) : eq(runs.status, input.status));
  if (input.pipeline !== undefined) where.push(eq(runs.pipeline, input.pipeline));
  if (input.from !== undefined) where.push(gte(runs.createdAt, input.from));
  if (input.to !== undefined) where.push(lt(runs.createdAt, input.to));
  return db.select(runInfoColumns).from(runs).where(and(...where)).orderBy(desc(runs.id)).limit(input.limit + 1);
}

export function listRuns(deps: { db: Db }, input: ListRunsInput): ListRunsResult {
  const rows = runsQuery(deps.db, input).all();
  const items = rows.slice(0, input.limit).map(toRunInfo);
  return { items, nextCursor: rows.length > input.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The names of deleted clusters that still have runs (a deleted cluster's runs keep its name), for the history filter. */
export function deletedClusterNames(deps: { db: Db }): string[] {
  return deps.db.selectDistinct({ name: runs.clusterName }).from(runs).where(isNull(runs.clusterId)).orderBy(asc(runs.clusterName)).all().map((r) => r.name);
}
