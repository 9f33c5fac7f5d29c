import { z } from 'zod';
import { FAILURE_KINDS, NODE_STATUSES, RUN_STATUSES, STEP_STATUSES } from './status';

export const RunFailure = z.object({ kind: z.enum(FAILURE_KINDS), message: z.string(), exitCode: z.number().int().nullable(), stderrTail: z.string() });
export type RunFailure = z.infer<typeof RunFailure>;

export const StepCounts = z.object(Object.fromEntries(STEP_STATUSES.map((s) => [s, z.number().int().min(0)])) as Record<(typeof STEP_STATUSES)[number], z.ZodNumber>);
export type StepCounts = z.infer<typeof StepCounts>;

const base = { runId: z.number().int().positive(), seq: z.number().int().positive(), ts: z.number() };

export const RunStatusEvent = z.object({
  ...base,
  type: z.literal('run.status'),
  pipeline: z.string(),
  status: z.enum(RUN_STATUSES),
  failure: RunFailure.nullable(),
  /** why a run waits (queued) or stopped (interrupted) */
  reason: z.string().nullable().optional(),
});
export const ModuleStatusEvent = z.object({ ...base, type: z.literal('module.status'), moduleId: z.string(), module: z.string(), status: z.enum(NODE_STATUSES) });
export const TaskStatusEvent = z.object({
  ...base,
  type: z.literal('task.status'),
  moduleId: z.string(),
  taskId: z.string(),
  task: z.string(),
  status: z.enum(NODE_STATUSES),
  counts: StepCounts,
  message: z.string().nullable(),
});
export const StepStatusEvent = z.object({
  ...base,
  type: z.literal('step.status'),
  moduleId: z.string(),
  taskId: z.string(),
  stepId: z.string(),
  step: z.string(),
  host: z.string(),
  status: z.enum(STEP_STATUSES),
  attempt: z.number().int(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  failure: RunFailure.nullable(),
});
export const ConnectProgress = z.object({ attempt: z.number().int().positive(), attempts: z.number().int().positive(), givesUpAt: z.number(), previousError: z.string().nullable() });
export type ConnectProgress = z.infer<typeof ConnectProgress>;
/** A running step waits for its host's SSH connection (attempt n of m, gives up at …); `connecting: null` once connected. */
export const StepConnectingEvent = z.object({
  ...base,
  type: z.literal('step.connecting'),
  moduleId: z.string(),
  taskId: z.string(),
  stepId: z.string(),
  host: z.string(),
  connecting: ConnectProgress.nullable(),
});
export const LogEvent = z.object({
  ...base,
  type: z.literal('log'),
  host: z.string().nullable(),
  taskId: z.string().nullable(),
  stepId: z.string().nullable(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
});

/** One entry of a run's event stream: seq is gap-free from 1 per run and orders everything (status and log lines). */
export const RunEvent = z.discriminatedUnion('type', [RunStatusEvent, ModuleStatusEvent, TaskStatusEvent, StepStatusEvent, StepConnectingEvent, LogEvent]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunStatusEvent = z.infer<typeof RunStatusEvent>;
export type ModuleStatusEvent = z.infer<typeof ModuleStatusEvent>;
export type TaskStatusEvent = z.infer<typeof TaskStatusEvent>;
export type StepStatusEvent = z.infer<typeof StepStatusEvent>;
export type StepConnectingEvent = z.infer<typeof StepConnectingEvent>;
export type LogEvent = z.infer<typeof LogEvent>;
