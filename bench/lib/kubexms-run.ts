import type { Connector } from '../../server/connectors/connector';
import { createClusterRuntime, runPipeline } from '../../server/engine';
import type { ConnectorFactory, EngineEvent, Host, Pipeline, Step } from '../../server/engine';
import type { LightHost } from '../light-hosts/state';
import type { TrivialStep } from './workload';

export function engineHosts(hosts: readonly LightHost[]): Host<LightHost>[] {
  return hosts.map((h) => ({ name: h.name, address: h.address, roles: ['bench'], data: h }));
}

export function trivialPipeline(steps: readonly TrivialStep[], concurrency: number): Pipeline<unknown, LightHost> {
  const engineSteps: Step<unknown, LightHost>[] = steps.map((s) => ({
    name: s.name,
    check: async (ctx) => (await ctx.exec(s.check)).exitCode === 0,
    run: async (ctx) => {
      await ctx.run(s.run);
    },
  }));
  return { name: 'bench', modules: [{ name: 'bench', tasks: [{ name: 'trivial', steps: engineSteps, concurrency }] }] };
}

export type EngineStats = { events: number; logs: number; maxRunning: number; failed: number };

/** Counts events and the most step cells running at once, as a UI listener would see them. */
export function statsListener(): { stats: EngineStats; listener: (e: EngineEvent) => void } {
  const stats: EngineStats = { events: 0, logs: 0, maxRunning: 0, failed: 0 };
  const running = new Set<string>();
  const listener = (e: EngineEvent) => {
    stats.events += 1;
    if (e.type === 'log') stats.logs += 1;
    if (e.type !== 'step.status') return;
    const key = `${e.stepId}@${e.host}`;
    if (e.status === 'running') running.add(key);
    else running.delete(key);
    if (e.status === 'failed') stats.failed += 1;
    stats.maxRunning = Math.max(stats.maxRunning, running.size);
  };
  return { stats, listener };
}

export async function runEngine(
  hosts: readonly LightHost[],
  pipeline: Pipeline<unknown, LightHost>,
  connectorFor: ConnectorFactory<LightHost>,
): Promise<EngineStats> {
  const { stats, listener } = statsListener();
  const runtime = createClusterRuntime<unknown, LightHost>({ spec: {}, hosts: engineHosts(hosts) });
  const outcome = await runPipeline({ runId: `bench-${Date.now()}`, pipeline, runtime, connectorFor, onEvent: listener });
  if (outcome.status !== 'succeeded') throw new Error(`bench run ${outcome.status}: ${outcome.failure?.message ?? ''}`);
  return stats;
}

/** Lends an already connected connector to one run: the run's close() must not end it. */
export function lend(connector: Connector): Connector {
  return {
    target: connector.target,
    exec: (command, options) => connector.exec(command, options),
    upload: (source, remotePath, options) => connector.upload(source, remotePath, options),
    download: (remotePath, options) => connector.download(remotePath, options),
    close: async () => {},
  };
}
