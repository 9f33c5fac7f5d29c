import type { AppServices } from '../app-services';
import { PIPELINES } from '../catalog/pipelines';
import type { Logger } from '../engine';
import { loadClusterForRun } from '../services/clusters/load-for-run';
import { sshConnect } from './connect';
import { PipelineRegistry } from './registry';
import { Retention, retentionFromEnv } from './retention';
import { Runner, type ConnectFn } from './runner';
import { TEST_PIPELINES } from './testing/pipelines';

export { Runner } from './runner';
export type { ConnectFn, LoadedCluster, StartRunInput } from './runner';
export { PipelineRegistry, type PipelineFactory, type PipelineOptions } from './registry';
export { RunBus } from './bus';

/** The catalog's pipelines, plus the 'test:*' ones with KUBEXMS_TEST_PIPELINES=1. */
export function createRegistry(env: NodeJS.ProcessEnv = process.env): PipelineRegistry {
  const registry = new PipelineRegistry().registerAll(PIPELINES);
  if (env.KUBEXMS_TEST_PIPELINES === '1') registry.registerAll(TEST_PIPELINES);
  return registry;
}

const consoleWarnings: Logger = { debug() {}, info() {}, warn: (m, f) => console.warn(m, f ?? ''), error: (m, f) => console.error(m, f ?? '') };

export type AppRunnerOptions = { registry?: PipelineRegistry; connect?: ConnectFn; logger?: Logger; env?: NodeJS.ProcessEnv };

/** The runner wired to the clusters service, SSH and retention; call runner.recover() once before serving. */
export function createAppRunner(services: Pick<AppServices, 'db' | 'secretBox'>, options: AppRunnerOptions = {}): Runner {
  const env = options.env ?? process.env;
  return new Runner({
    db: services.db,
    registry: options.registry ?? createRegistry(env),
    loadCluster: (clusterId) => loadClusterForRun(services, clusterId),
    connect: options.connect ?? sshConnect,
    retention: new Retention(services.db, retentionFromEnv(env)),
    logger: options.logger ?? consoleWarnings,
  });
}
