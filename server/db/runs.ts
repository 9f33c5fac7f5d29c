import { eq } from 'drizzle-orm';
import type { ClusterSpec } from '../contracts/cluster-spec';
import { RunOptions, RunSummary, emptySummary, type RunCell, type RunInfo, type RunPlan } from '../contracts/run-types';
import { redactSpec } from '../contracts/spec-secrets';
import type { Db } from './client';
import { runCells, runs } from './schema';

type RunRow = typeof runs.$inferSelect;

/** The columns a RunInfo needs (no spec snapshot, no plan). */
export const runInfoColumns = {
  id: runs.id,
  clusterId: runs.clusterId,
  clusterName: runs.clusterName,
  pipeline: runs.pipeline,
  status: runs.status,
  statusReason: runs.statusReason,
  parentRunId: runs.parentRunId,
  hosts: runs.hosts,
  options: runs.options,
  summary: runs.summary,
  lastSeq: runs.lastSeq,
  createdBy: runs.createdBy,
  createdAt: runs.createdAt,
  startedAt: runs.startedAt,
  endedAt: runs.endedAt,
};

export function toRunInfo(row: Omit<RunRow, 'specSnapshot' | 'plan'>): RunInfo {
  const summary = RunSummary.safeParse(row.summary);
  const options = RunOptions.safeParse(row.options ?? {});
  return {
    id: row.id,
    clusterId: row.clusterId,
    clusterName: row.clusterName,
    pipeline: row.pipeline,
    status: row.status,
    statusReason: row.statusReason,
    parentRunId: row.parentRunId,
    hosts: row.hosts,
    options: options.success ? options.data : {},
    summary: summary.success ? summary.data : emptySummary(),
    lastSeq: row.lastSeq,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
  };
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
