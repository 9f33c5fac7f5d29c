import { NODE_TRANSITIONS } from '../contracts/status';
import type { NodeStatus } from '../contracts/status';
import type { PlanModule } from './plan';
import type { RunEnv } from './run-env';
import { StatusBox } from './status';
import { cancelTask, runTask } from './task';
import type { TaskOutcome } from './task';
import type { Module } from './types';

export type ModuleOutcome = { status: NodeStatus; failure: TaskOutcome['failure'] & { task: string } | null };

function emitModule<Spec, HostData>(env: RunEnv<Spec, HostData>, plan: PlanModule, box: StatusBox<NodeStatus>, status: NodeStatus) {
  box.to(status);
  env.emitter.emit({ type: 'module.status', moduleId: plan.id, module: plan.name, status });
}

/** Marks a module that will not run, with its tasks and cells, cancelled. */
export function cancelModule<Spec, HostData>(env: RunEnv<Spec, HostData>, plan: PlanModule, reason: string): void {
  for (const task of plan.tasks) cancelTask(env, plan.id, task, reason);
  emitModule(env, plan, new StatusBox(NODE_TRANSITIONS, 'pending', `module ${plan.id}`), 'cancelled');
}

export async function runModule<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  plan: PlanModule,
  mod: Module<Spec, HostData>,
): Promise<ModuleOutcome> {
  const box = new StatusBox(NODE_TRANSITIONS, 'pending', `module ${plan.id}`);
  emitModule(env, plan, box, 'running');
  let outcome: ModuleOutcome = { status: 'succeeded', failure: null };
  for (const [t, task] of mod.tasks.entries()) {
    const taskPlan = plan.tasks[t]!;
    if (outcome.status !== 'succeeded') {
      cancelTask(env, plan.id, taskPlan, outcome.status === 'failed' ? `not run: task "${outcome.failure?.task}" failed` : 'run cancelled');
      continue;
    }
    const result = await runTask(env, plan.id, taskPlan, task);
    if (result.status === 'failed') outcome = { status: 'failed', failure: result.failure && { ...result.failure, task: task.name } };
    else if (result.status === 'cancelled') outcome = { status: 'cancelled', failure: null };
  }
  emitModule(env, plan, box, outcome.status);
  return outcome;
}
