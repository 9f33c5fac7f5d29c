import type { CompareRunsInput, CompareRunsResult, CompareSide } from '../../contracts/run-api';
import { RunPlan } from '../../contracts/run-types';
import type { Db } from '../../db/client';
import { readCells, readRunRow, toRunInfo } from '../../db/runs';
import { notFound } from '../../errors';
import { specDiff } from './spec-diff';

function side(db: Db, runId: number): CompareSide & { spec: unknown } {
  const row = readRunRow(db, runId);
  if (!row) throw notFound(`run #${runId}`);
  const plan = RunPlan.safeParse(row.plan);
  return { run: toRunInfo(row), plan: plan.success ? plan.data : null, cells: readCells(db, runId), spec: row.specSnapshot };
}

/** Two runs' plans and cells, and where their (secret-free) spec snapshots differ. */
export function compareRuns(deps: { db: Db }, input: CompareRunsInput): CompareRunsResult {
  const { spec: specA, ...a } = side(deps.db, input.a);
  const { spec: specB, ...b } = side(deps.db, input.b);
  return { a, b, specChanges: specDiff(specA, specB) };
}
