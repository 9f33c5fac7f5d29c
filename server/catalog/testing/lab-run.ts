import type { ClusterSpec } from '../../contracts/cluster-spec';
import { createClusterRuntime, runPipeline } from '../../engine';
import type { ClusterRuntime, ConnectorFactory, EngineEvent, RunCache, RunOutcome, StepStatusEvent } from '../../engine';
import { runtimeHostsFromSpec } from '../common/hosts';
import type { KxPipeline, SpecHost } from '../common/types';
import { setCatalogContext } from '../common/catalog-context';
import type { CatalogContext } from '../common/catalog-context';

export type ContextRun = { outcome: RunOutcome; events: EngineEvent[]; cells: StepStatusEvent[]; cache: RunCache; connects: string[] };

/** Runs a pipeline with the catalog context set in runtime.cache (what the runner does), recording every connection made. */
export async function runWithContext(options: {
  pipeline: KxPipeline;
  spec: ClusterSpec;
  context: CatalogContext;
  /** what else the runner's hooks would set up (e.g. the etcd backup store) */
  setup?: (runtime: ClusterRuntime<ClusterSpec, SpecHost>) => void;
  connectorFor: ConnectorFactory<SpecHost>;
  runId?: string;
}): Promise<ContextRun> {
  const runtime = createClusterRuntime<ClusterSpec, SpecHost>({ spec: options.spec, hosts: runtimeHostsFromSpec(options.spec) });
  setCatalogContext(runtime, options.context);
  options.setup?.(runtime);
  const events: EngineEvent[] = [];
  const connects: string[] = [];
  const outcome = await runPipeline({
    runId: options.runId ?? `catalog-${process.pid}-${Date.now()}`,
    pipeline: options.pipeline,
    runtime,
    connectorFor: async (host) => {
      connects.push(host.name);
      return options.connectorFor(host);
    },
    onEvent: (e) => void events.push(e),
  });
  const cells = events.filter((e): e is StepStatusEvent => e.type === 'step.status' && ['succeeded', 'skipped', 'failed', 'cancelled'].includes(e.status));
  return { outcome, events, cells, cache: runtime.cache, connects };
}
