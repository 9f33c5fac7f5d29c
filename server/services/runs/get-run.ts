import type { GetRunResult, RunRef } from '../../contracts/run-api';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import type { Db } from '../../db/client';
import { readRunRow } from '../../db/runs';
import { notFound } from '../../errors';
import { readRunSnapshot } from './read-run';

/** Snapshot plus the spec the run used (stored with every secret replaced by { set }). */
export function getRun(deps: { db: Db }, input: RunRef): GetRunResult {
  const row = readRunRow(deps.db, input.runId);
  if (!row) throw notFound(`run #${input.runId}`);
  return { ...readRunSnapshot(deps.db, input.runId), spec: row.specSnapshot as ClusterSpecPublic };
}
