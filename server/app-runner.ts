import type { AppServices } from './app-services';
import { setBackupSink } from './catalog/etcd/backup-sink';
import { EXCLUSIVE_PIPELINES, PIPELINES } from './catalog/pipelines';
import { catalogRunHooks } from './catalog/run-hooks';
import { putSecret } from './secrets/store';
import type { Logger } from './engine';
import { saveClusterStatus } from './services/status/cluster-status';
import { deleteAfterReset } from './services/clusters/delete-cluster';
import { dropHosts } from './services/clusters/drop-hosts';
import { KUBECONFIG_SECRET_PATH, loadClusterWithKubeconfig } from './services/clusters/kubeconfig';
import { etcdBackupStore } from './services/etcd/backup-store';
import { runVerifier } from './services/runs/verify-run';
import { sshConnect } from './runner/connect';
import { PipelineRegistry } from './runner/registry';
import { Retention, retentionFromEnv } from './runner/retention';
import { Runner, type ConnectFn } from './runner/runner';

/** The catalog's pipelines. */
export function createRegistry(): PipelineRegistry {
  return new PipelineRegistry().registerAll(PIPELINES);
}

const consoleWarnings: Logger = { debug() {}, info() {}, warn: (m, f) => console.warn(m, f ?? ''), error: (m, f) => console.error(m, f ?? '') };

export type AppRunnerOptions = {
  registry?: PipelineRegistry;
  connect?: ConnectFn;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  stoppedReason?: string;
  /** after every other run of a cluster, queue a status run so the cluster page shows what the run left */
  statusAfterRun?: boolean;
};

/** The runner wired to the clusters service, SSH and retention; call runner.recover() once before serving. */
export function createAppRunner(services: Pick<AppServices, 'db' | 'secretBox'> & { dataDir?: string }, options: AppRunnerOptions = {}): Runner {
  const env = options.env ?? process.env;
  const hooks = catalogRunHooks({
    dataDir: services.dataDir ?? '',
    secretBox: services.secretBox,
    keepKubeconfig: (clusterId, kubeconfig) => putSecret(services.db, services.secretBox, clusterId, KUBECONFIG_SECRET_PATH, kubeconfig),
    keepStatus: (clusterId, status) => saveClusterStatus(services.db, clusterId, status),
  });
  const logger = options.logger ?? consoleWarnings;
  const dataDir = services.dataDir ?? '';
  const backups = etcdBackupStore(services.db, dataDir);
  const runner: Runner = new Runner({
    ...hooks,
    beforeRun: (runtime, clusterId) => {
      hooks.beforeRun(runtime, clusterId);
      setBackupSink(runtime, backups);
    },
    afterRun: (runtime, clusterId, run) => {
      hooks.afterRun(runtime, clusterId, run);
      if (run.pipeline === 'removeNodes' && run.status === 'succeeded') dropHosts(services, clusterId, run.options.nodes ?? [], { actor: 'kubexms', address: null });
      if (run.options.thenDelete && run.pipeline === 'resetCluster' && deleteAfterReset(services.db, clusterId, run)) return;
      if (!options.statusAfterRun || run.pipeline === 'status') return;
      runner.start({ clusterId, pipeline: 'status', createdBy: 'kubexms' }).catch((err: unknown) => logger.warn('status refresh after a run was not started', { clusterId, error: String(err) }));
    },
    exclusive: EXCLUSIVE_PIPELINES,
    verify: runVerifier({ db: services.db, dataDir }),
    db: services.db,
    registry: options.registry ?? createRegistry(),
    loadCluster: (clusterId) => loadClusterWithKubeconfig(services, clusterId),
    connect: options.connect ?? sshConnect,
    retention: new Retention(services.db, retentionFromEnv(env)),
    logger,
    ...(options.stoppedReason ? { stoppedReason: options.stoppedReason } : {}),
  });
  return runner;
}
