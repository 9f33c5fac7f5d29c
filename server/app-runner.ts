import type { AppServices } from './app-services';
import { setBackupSink } from './catalog/etcd/backup-sink';
import { EXCLUSIVE_PIPELINES, PIPELINES } from './catalog/pipelines';
import { catalogRunHooks, verifyPipelineArtifacts } from './catalog/run-hooks';
import { ArtifactError } from './artifacts';
import { getSecret, putSecret } from './secrets/store';
import { ServiceError } from './errors';
import type { Logger } from './engine';
import { loadClusterForRun } from './services/clusters/load-for-run';
import { etcdBackupStore } from './services/etcd/backup-store';
import { checkRestorable } from './services/etcd/check-restore';
import { sshConnect } from './runner/connect';
import { PipelineRegistry } from './runner/registry';
import { Retention, retentionFromEnv } from './runner/retention';
import { Runner, type ConnectFn } from './runner/runner';

/** The catalog's pipelines. */
export function createRegistry(): PipelineRegistry {
  return new PipelineRegistry().registerAll(PIPELINES);
}

const consoleWarnings: Logger = { debug() {}, info() {}, warn: (m, f) => console.warn(m, f ?? ''), error: (m, f) => console.error(m, f ?? '') };

/** Where the admin kubeconfig fetched by createCluster is kept (encrypted, like every credential). */
export const KUBECONFIG_SECRET_PATH = 'kubeconfig';

/** The credentials inside a kubeconfig (client keys, tokens, passwords): a later run that prints it shows them redacted. */
export function kubeconfigCredentials(kubeconfig: string): string[] {
  const re = /^\s*(?:client-key-data|token|password):[ \t]*(?:"([^"]*)"|'([^']*)'|(\S.*?))[ \t]*$/gm;
  return [...kubeconfig.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3] ?? '').filter((v) => v.length > 0);
}

const SPEC_FIELD_OF: Record<string, string> = {
  etcd: 'etcd.version', containerd: 'containerd.version', runc: 'containerd.version', 'cni-plugins': 'containerd.version', crictl: 'containerd.version',
  kubeadm: 'kubernetes.version', kubelet: 'kubernetes.version', kubectl: 'kubernetes.version',
};

export type AppRunnerOptions = { registry?: PipelineRegistry; connect?: ConnectFn; logger?: Logger; env?: NodeJS.ProcessEnv; stoppedReason?: string };

/** The runner wired to the clusters service, SSH and retention; call runner.recover() once before serving. */
export function createAppRunner(services: Pick<AppServices, 'db' | 'secretBox'> & { dataDir?: string }, options: AppRunnerOptions = {}): Runner {
  const env = options.env ?? process.env;
  const hooks = catalogRunHooks({
    dataDir: services.dataDir ?? '',
    secretBox: services.secretBox,
    keepKubeconfig: (clusterId, kubeconfig) => putSecret(services.db, services.secretBox, clusterId, KUBECONFIG_SECRET_PATH, kubeconfig),
  });
  const dataDir = services.dataDir ?? '';
  const backups = etcdBackupStore(services.db, dataDir);
  return new Runner({
    ...hooks,
    beforeRun: (runtime, clusterId) => {
      hooks.beforeRun(runtime, clusterId);
      setBackupSink(runtime, backups);
    },
    exclusive: EXCLUSIVE_PIPELINES,
    verify: async (spec, pipeline, opts, clusterId) => {
      if (pipeline === 'etcdRestore') checkRestorable(services.db, dataDir, clusterId, opts.backupId);
      try {
        await verifyPipelineArtifacts(spec, pipeline, opts);
      } catch (err) {
        if (err instanceof ArtifactError) throw new ServiceError('BAD_REQUEST', err.message, [{ path: SPEC_FIELD_OF[err.component] ?? 'artifacts.mirror', message: err.message }]);
        throw err;
      }
    },
    db: services.db,
    registry: options.registry ?? createRegistry(),
    loadCluster: async (clusterId) => {
      const loaded = await loadClusterForRun(services, clusterId);
      const kubeconfig = getSecret(services.db, services.secretBox, clusterId, KUBECONFIG_SECRET_PATH);
      return kubeconfig ? { ...loaded, extraSecrets: kubeconfigCredentials(kubeconfig) } : loaded;
    },
    connect: options.connect ?? sshConnect,
    retention: new Retention(services.db, retentionFromEnv(env)),
    logger: options.logger ?? consoleWarnings,
    ...(options.stoppedReason ? { stoppedReason: options.stoppedReason } : {}),
  });
}
