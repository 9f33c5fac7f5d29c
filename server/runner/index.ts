import fs from 'node:fs';
import type { AppServices } from '../app-services';
import type { Logger } from '../engine';
import { loadClusterForRun } from '../services/clusters/load-for-run';
import { sshConnect } from './connect';
import { PipelineRegistry, type PipelineFactory } from './registry';
import { Retention, retentionFromEnv } from './retention';
import { Runner, type ConnectFn } from './runner';
import { TEST_PIPELINES } from './testing/pipelines';

export { Runner } from './runner';
export type { ConnectFn, LoadedCluster, StartRunInput } from './runner';
export { PipelineRegistry, type PipelineFactory, type PipelineOptions } from './registry';
export { RunBus } from './bus';

/** The catalog's PIPELINES map, once server/catalog/pipelines.ts exists. */
async function catalogPipelines(): Promise<Record<string, PipelineFactory>> {
  const url = new URL('../catalog/pipelines.ts', import.meta.url);
  if (!fs.existsSync(url)) return {};
  const mod = (await import(url.href)) as { PIPELINES?: Record<string, PipelineFactory> };
  return mod.PIPELINES ?? {};
}

export async function createRegistry(env: NodeJS.ProcessEnv = process.env): Promise<PipelineRegistry> {
  const registry = new PipelineRegistry().registerAll(await catalogPipelines());
  if (env.KUBEXMS_TEST_PIPELINES === '1') registry.registerAll(TEST_PIPELINES);
  return registry;
}

export type AppRunnerOptions = { registry?: PipelineRegistry; connect?: ConnectFn; logger?: Logger; env?: NodeJS.ProcessEnv };

/** The runner wired to the clusters service, SSH and retention; call runner.recover() once before serving. */
export async function createAppRunner(services: Pick<AppServices, 'db' | 'secretBox'>, options: AppRunnerOptions = {}): Promise<Runner> {
  const env = options.env ?? process.env;
  return new Runner({
    db: services.db,
    registry: options.registry ?? (await createRegistry(env)),
    loadCluster: (clusterId) => loadClusterForRun(services, clusterId),
    connect: options.connect ?? sshConnect,
    retention: new Retention(services.db, retentionFromEnv(env)),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
