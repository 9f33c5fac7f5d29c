import { eq } from 'drizzle-orm';
import type { ClusterSpec } from '../contracts/cluster-spec';
import { RunInfo, RunOptions, RunSummary, emptySummary, type RunCell, type RunPlan } from '../contracts/run-types';
import { redactSpec } from '../contracts/spec-secrets';
import type { Db } from './client';
import { runCells, runs } from './schema';

type RunRow = typeof runs.$inferSelect;

type RunInfoField = keyof RunInfo;
/** The RunInfo contract's fields, each a column of runs (the type check fails if one is not). */
const RUN_INFO_FIELDS = Object.keys(RunInfo.shape) as RunInfoField[];

/** The columns a RunInfo needs (no spec snapshot, no plan). */
export const runInfoColumns = Object.fromEntries(RUN_INFO_FIELDS.map((k) => [k, runs[k]])) as { [K in RunInfoField]: (typeof runs)[K] };

export function toRunInfo(row: Pick<RunRow, RunInfoField>): RunInfo {
  const summary = RunSummary.safeParse(row.summary);
  const options = RunOptions.safeParse(row.options ?? {});
  const info = Object.fromEntries(RUN_INFO_FIELDS.map((k) => [k, row[k]])) as RunInfo;
  return { ...info, options: options.success ? options.data : {}, summary: summary.success ? summary.data : emptySummary() };
}

export type NewRun = {
  cluster: { id: number; name: string };
  pipeline: string;
  spec: ClusterSpec;
  plan: RunPlan;
  hosts: string[];
  options: RunOptions;
  parentRunId: number | null;
  createdBy: string | null;
  /** every cell of the plan (pending) and their counters */
  cells: readonly RunCell[];
  summary: RunSummary;
};

/** Inserts the run (queued, spec snapshot without secrets) and its cells (pending, seq 0) in one transaction. */
export function insertRun(db: Db, run: NewRun): number {
  return db.transaction((tx) => {
    const row = tx
      .insert(runs)
      .values({
        clusterId: run.cluster.id,
        clusterName: run.cluster.name,
        pipeline: run.pipeline,
        status: 'queued',
        specSnapshot: redactSpec(run.spec),
        plan: run.plan,
        options: run.options,
        hosts: run.hosts,
        parentRunId: run.parentRunId,
        summary: run.summary,
        createdBy: run.createdBy,
        createdAt: Date.now(),
      })
      .returning({ id: runs.id })
      .get();
    for (let i = 0; i < run.cells.length; i += 200) tx.insert(runCells).values(run.cells.slice(i, i + 200).map((c) => ({ ...c, runId: row.id }))).run();
    return row.id;
  });
}

export function readRunInfoRow(db: Db, runId: number) {
  return db.select(runInfoColumns).from(runs).where(eq(runs.id, runId)).get();
}

export function readRunRow(db: Db, runId: number): RunRow | undefined {
  return db.select().from(runs).where(eq(runs.id, runId)).get();
}

export function readCells(db: Db, runId: number): RunCell[] {
  return db
    .select({
      stepId: runCells.stepId,
      host: runCells.host,
      status: runCells.status,
      attempts: runCells.attempts,
      startedAt: runCells.startedAt,
      endedAt: runCells.endedAt,
      exitCode: runCells.exitCode,
      errorKind: runCells.errorKind,
      errorMessage: runCells.errorMessage,
      stderrTail: runCells.stderrTail,
      seq: runCells.seq,
    })
    .from(runCells)
    .where(eq(runCells.runId, runId))
    .all();
}
