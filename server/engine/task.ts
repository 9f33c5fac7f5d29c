import { NODE_TRANSITIONS } from '../contracts/status';
import type { NodeStatus } from '../contracts/status';
import { Cell } from './cell';
import type { Failure } from './errors';
import { emptyCounts } from './events';
import type { PlanTask } from './plan';
import type { RunEnv } from './run-env';
import { StatusBox } from './status';
import { runCell } from './step';
import type { Host, Task } from './types';

export type TaskOutcome = { status: NodeStatus; failure: (Failure & { host: string; step: string }) | null };

const cancelled = (message: string): Failure => ({ kind: 'cancelled', message, exitCode: null, stderrTail: '' });

/** Task status and its cells (one per target host × step); the cells exist from the start, pending. */
class TaskRun<Spec, HostData> {
  readonly status: StatusBox<NodeStatus>;
  readonly cells: Cell[][];
  readonly hosts: Host<HostData>[];

  constructor(
    private readonly env: RunEnv<Spec, HostData>,
    readonly moduleId: string,
    readonly plan: PlanTask,
  ) {
    this.status = new StatusBox(NODE_TRANSITIONS, 'pending', `task ${plan.id}`);
    const byName = new Map(env.runtime.hosts.map((h) => [h.name, h]));
    this.hosts = plan.hosts.map((name) => byName.get(name)).filter((h) => h !== undefined);
    this.cells = this.hosts.map((h) =>
      plan.steps.map((s) => new Cell(env.emitter, { moduleId, taskId: plan.id, stepId: s.id }, s.name, h.name)),
    );
  }

  to(status: NodeStatus, message: string | null = null) {
    this.status.to(status);
    const counts = emptyCounts();
    for (const cell of this.cells.flat()) counts[cell.status.value] += 1;
    this.env.emitter.emit({ type: 'task.status', moduleId: this.moduleId, taskId: this.plan.id, task: this.plan.name, status, counts, message });
  }

  cancelPending(message: string) {
    for (const cell of this.cells.flat()) if (cell.status.value === 'pending') cell.finish('cancelled', cancelled(message));
  }

  log(text: string) {
    this.env.emitter.emit({ type: 'log', host: null, taskId: this.plan.id, stepId: null, stream: 'system', text });
  }
}

/** Marks a task that will not run (pipeline stopped) and all its cells cancelled. */
export function cancelTask<Spec, HostData>(env: RunEnv<Spec, HostData>, moduleId: string, plan: PlanTask, reason: string): void {
  const run = new TaskRun(env, moduleId, plan);
  run.cancelPending(reason);
  run.to('cancelled', reason);
}

export async function runTask<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  moduleId: string,
  plan: PlanTask,
  task: Task<Spec, HostData>,
): Promise<TaskOutcome> {
  const run = new TaskRun(env, moduleId, plan);
  const logger = env.runtime.logger;
  if (env.signal.aborted) {
    run.cancelPending('run cancelled');
    run.to('cancelled', 'run cancelled');
    return { status: 'cancelled', failure: null };
  }
  if (run.hosts.length === 0) {
    logger.info('no target hosts for task, skipping', { runId: env.runId, task: plan.name });
    run.log(`task "${plan.name}": no target hosts, skipped`);
    run.to('skipped', 'no target hosts');
    return { status: 'skipped', failure: null };
  }
  logger.info('running task', { runId: env.runId, task: plan.name, hosts: plan.hosts.length });
  run.to('running');
  let failure: TaskOutcome['failure'] = null;
  const onAbort = () => run.cancelPending('run cancelled');
  env.signal.addEventListener('abort', onAbort, { once: true });
  const queue = run.hosts.map((_, i) => i);
  const runHost = async (i: number) => {
    const host = run.hosts[i]!;
    const cells = run.cells[i]!;
    for (const [s, step] of task.steps.entries()) {
      const cell = cells[s]!;
      if (cell.status.value !== 'pending') continue;
      const result = await runCell(env, step, host, cell, () => failure !== null);
      if (result === 'failed' && failure === null) {
        failure = { ...cell.failure!, host: host.name, step: step.name };
        run.cancelPending(`not run: "${step.name}" failed on ${host.name}`);
      }
    }
  };
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await runHost(i);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, queue.length) }, worker));
  } finally {
    env.signal.removeEventListener('abort', onAbort);
  }
  let status: NodeStatus;
  if (failure !== null) status = task.ignoreError ? 'failed-ignored' : 'failed';
  else status = env.signal.aborted ? 'cancelled' : 'succeeded';
  const f = failure as TaskOutcome['failure'];
  run.to(status, f ? `"${f.step}" failed on ${f.host}: ${f.message}` : null);
  return { status, failure: f };
}
