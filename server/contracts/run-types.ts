import { z } from 'zod';
import { NODE_STATUSES, RUN_STATUSES, STEP_STATUSES, FAILURE_KINDS } from './status';
import { ConnectProgress, StepCounts } from './run-events';
import { InstallModule } from './run-phases';

export const PlanStep = z.object({ id: z.string(), index: z.number().int(), name: z.string() });
export type PlanStep = z.infer<typeof PlanStep>;
export const PlanTask = z.object({
  id: z.string(),
  index: z.number().int(),
  name: z.string(),
  hosts: z.array(z.string()),
  ignoreError: z.boolean(),
  concurrency: z.number().int(),
  steps: z.array(PlanStep),
});
export type PlanTask = z.infer<typeof PlanTask>;
export const PlanModule = z.object({ id: z.string(), index: z.number().int(), name: z.string(), tasks: z.array(PlanTask) });
export type PlanModule = z.infer<typeof PlanModule>;
/** The grid before a run starts. Ids: module `m`, task `m.t`, step `m.t.s`; a cell is (step id, host). */
export const RunPlan = z.object({ pipeline: z.string(), hosts: z.array(z.string()), modules: z.array(PlanModule), cellCount: z.number().int() });
export type RunPlan = z.infer<typeof RunPlan>;

/** Counters by step status, overall and per host; node statuses by module/task id. */
export const RunSummary = z.object({
  total: StepCounts,
  hosts: z.record(z.string(), StepCounts),
  nodes: z.record(z.string(), z.enum(NODE_STATUSES)),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** thenDelete: a resetCluster asked for by a cluster deletion; the cluster is deleted once it succeeded (never carried to a retry) */
export const RunOptions = z.object({
  onlyHosts: z.array(z.string()).optional(),
  nodes: z.array(z.string()).optional(),
  until: InstallModule.optional(),
  backupId: z.number().int().positive().optional(),
  /** how a run with a parent was made: the same run again, or only the hosts where a step failed or did not run */
  repeat: z.enum(['retry', 'failedHosts']).optional(),
  thenDelete: z.literal(true).optional(),
});
export type RunOptions = z.infer<typeof RunOptions>;

export const RunInfo = z.object({
  id: z.number().int(),
  clusterId: z.number().int().nullable(),
  clusterName: z.string(),
  pipeline: z.string(),
  status: z.enum(RUN_STATUSES),
  statusReason: z.string().nullable(),
  parentRunId: z.number().int().nullable(),
  hosts: z.array(z.string()),
  options: RunOptions,
  summary: RunSummary,
  lastSeq: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const RunCell = z.object({
  stepId: z.string(),
  host: z.string(),
  status: z.enum(STEP_STATUSES),
  attempts: z.number().int(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  errorKind: z.enum(FAILURE_KINDS).nullable(),
  errorMessage: z.string().nullable(),
  stderrTail: z.string().nullable(),
  seq: z.number().int(),
});
export type RunCell = z.infer<typeof RunCell>;

export const RunLogLine = z.object({
  seq: z.number().int(),
  host: z.string().nullable(),
  stepId: z.string().nullable(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
  ts: z.number(),
});
export type RunLogLine = z.infer<typeof RunLogLine>;

/** Everything a page needs to draw a run as of `seq`; apply later events with seq > this one. */
export const RunSnapshot = z.object({
  run: RunInfo,
  plan: RunPlan.nullable(),
  cells: z.array(RunCell),
  logTail: z.array(RunLogLine),
  seq: z.number().int(),
  /** running cells still waiting for their host's connection */
  connecting: z.array(z.object({ stepId: z.string(), host: z.string(), connecting: ConnectProgress })).optional(),
});
export type RunSnapshot = z.infer<typeof RunSnapshot>;

export function emptySummary(): RunSummary {
  const counts = () => Object.fromEntries(STEP_STATUSES.map((s) => [s, 0])) as StepCounts;
  return { total: counts(), hosts: {}, nodes: {} };
}
