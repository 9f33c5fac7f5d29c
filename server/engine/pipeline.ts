import { setMaxListeners } from 'node:events';
import { RUN_TRANSITIONS } from '../contracts/status';
import type { RunStatus } from '../contracts/status';
import type { Failure } from './errors';
import { toFailure } from './errors';
import { RunEmitter } from './events';
import type { EngineListener } from './events';
import { cancelModule, runModule } from './module';
import { planPipeline } from './plan';
import type { Plan } from './plan';
import { ConnectorPool } from './run-env';
import type { RunEnv } from './run-env';
import { StatusBox } from './status';
import type { ClusterRuntime, ConnectorFactory, Pipeline } from './types';

export type RunPipelineOptions<Spec, HostData> = {
  runId: string;
  pipeline: Pipeline<Spec, HostData>;
  runtime: ClusterRuntime<Spec, HostData>;
  /** called at most once per host per run (again only if it threw); every connector is closed when the run ends */
  connectorFor: ConnectorFactory<HostData>;
  /** user cancel: aborts in-flight commands, everything not finished becomes cancelled */
  signal?: AbortSignal;
  onEvent?: EngineListener | readonly EngineListener[];
  /** how long an aborted step may take to settle before it is abandoned; default 5000 */
  abortGraceMs?: number;
};

export type RunOutcome = { status: RunStatus; failure: Failure | null; plan: Plan; lastSeq: number };

/** Runs a pipeline to its end; never rejects once started (engine bugs end the run failed/internal). */
export async function runPipeline<Spec, HostData>(options: RunPipelineOptions<Spec, HostData>): Promise<RunOutcome> {
  const { runId, pipeline, runtime } = options;
  const plan = planPipeline(pipeline, runtime.hosts);
  const emitter = new RunEmitter(runId, runtime.logger);
  const listeners = options.onEvent === undefined ? [] : Array.isArray(options.onEvent) ? options.onEvent : [options.onEvent];
  for (const listener of listeners as readonly EngineListener[]) emitter.on(listener);
  const signal = options.signal ?? new AbortController().signal;
  // every in-flight step listens on the run signal: hundreds of hosts are expected, not a leak
  setMaxListeners(0, signal);
  const env: RunEnv<Spec, HostData> = {
    runId,
    runtime,
    emitter,
    signal,
    connectors: new ConnectorPool(options.connectorFor),
    hostCaches: new Map(),
    abortGraceMs: options.abortGraceMs ?? 5000,
  };
  const box = new StatusBox(RUN_TRANSITIONS, 'queued', `run ${runId}`);
  const setRun = (status: RunStatus, failure: Failure | null) => {
    box.to(status);
    emitter.emit({ type: 'run.status', pipeline: pipeline.name, status, failure });
  };
  setRun('running', null);
  runtime.logger.info('run started', { runId, pipeline: pipeline.name, cells: plan.cellCount });
  let status: RunStatus = 'succeeded';
  let failure: Failure | null = null;
  try {
    for (const [m, mod] of pipeline.modules.entries()) {
      const modPlan = plan.modules[m]!;
      if (status !== 'succeeded') {
        cancelModule(env, modPlan, status === 'failed' ? 'not run: an earlier module failed' : 'run cancelled');
        continue;
      }
      const result = await runModule(env, modPlan, mod);
      if (result.status === 'failed') {
        status = 'failed';
        const f = result.failure;
        failure = f && { ...f, message: `${f.task} / ${f.step} failed on ${f.host}: ${f.message}` };
      } else if (result.status === 'cancelled' || env.signal.aborted) status = 'cancelled';
    }
    if (env.signal.aborted && status === 'succeeded') status = 'cancelled';
  } catch (err) {
    runtime.logger.error('engine error', { runId, error: String(err), stack: (err as Error).stack });
    status = 'failed';
    failure = { ...toFailure(err), kind: 'internal' };
  } finally {
    await env.connectors.closeAll((host, err) => runtime.logger.warn('closing connector failed', { runId, host, error: String(err) }));
  }
  if (status === 'cancelled') failure = { kind: 'cancelled', message: 'run cancelled', exitCode: null, stderrTail: '' };
  setRun(status, failure);
  runtime.logger.info('run finished', { runId, status });
  return { status, failure, plan, lastSeq: emitter.seq };
}
