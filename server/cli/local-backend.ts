import os from 'node:os';
import { ListRunsInput, LogsPageInput } from '../contracts/run-api';
import { dbFile, openDb, type Db } from '../db/client';
import { loadEnv } from '../env';
import type { Runner } from '../runner/runner';
import { createAppRunner } from '../app-runner';
import { readRunRow } from '../db/runs';
import { RunBus } from '../runner/bus';
import { markInterrupted } from '../runner/recover';
import type { SecretBox } from '../secrets/box';
import { openSecretBox } from '../secrets/open-secret-box';
import { createCluster } from '../services/clusters/create-cluster';
import type { Actor } from '../services/clusters/deps';
import { getCluster } from '../services/clusters/get-cluster';
import { exportKubeKey } from '../services/clusters/kubekey';
import { etcdBackupsOf, etcdCertificates } from '../services/etcd/etcd-services';
import { listClusters } from '../services/clusters/list-clusters';
import { updateCluster } from '../services/clusters/update-cluster';
import { ServiceError } from '../errors';
import { acceptKey } from '../services/hosts/accept-key';
import { probeHost } from '../services/hosts/probe-host';
import { pageLogs } from '../services/logs/page-logs';
import { cancelRun } from '../services/runs/cancel-run';
import { getRun } from '../services/runs/get-run';
import { listRuns } from '../services/runs/list-runs';
import { retryRun } from '../services/runs/retry-run';
import { startRun } from '../services/runs/start-run';
import { getClusterStatus } from '../services/status/cluster-status';
import { downloadKubeconfig } from '../services/clusters/download-kubeconfig';
import { watchRun } from '../services/runs/watch-run';
import { followRun, type Backend } from './backend';
import { CliError, fromServiceError } from './errors';

async function call<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) throw fromServiceError(err.code, err.message, err.fieldErrors);
    throw err;
  }
}

export type LocalOptions = {
  dataDir: string;
  /** a runner in this process (the caller holds the data dir's runner lock) */
  withRunner: boolean;
  /** how to cancel a run another in-process CLI drives */
  cancelElsewhere?: (runId: number) => { status: 'cancelling' } | null;
  log: (line: string) => void;
  /** the caller holds the runner lock it took over from a dead process: mark the runs that process left as interrupted */
  recover?: { reasons: { running: string; queued: string } | undefined };
};

export type OpenLocalBackend = typeof openLocalBackend;

/** The services, the secret box and (if asked) the runner of server/index.ts, on the same data dir, without HTTP. */
export async function openLocalBackend(opts: LocalOptions): Promise<Backend> {
  const env = loadEnv({ ...process.env, KUBEXMS_DATA_DIR: opts.dataDir });
  const db: Db = openDb(dbFile(env.dataDir));
  let box: SecretBox | null = null;
  const secretBox = () => (box ??= openSecretBox(db, env).box);
  let runner: Runner | null = null;
  let interrupted: number[] = [];
  if (opts.withRunner) {
    runner = createAppRunner({ db, secretBox: secretBox(), dataDir: env.dataDir }, { stoppedReason: `the kubexms CLI process (pid ${process.pid}) was stopped during this run` });
    interrupted = runner.recover(opts.recover?.reasons);
  } else if (opts.recover) {
    interrupted = markInterrupted(db, new RunBus(), opts.recover.reasons);
  }
  if (interrupted.length > 0) opts.log(`marked ${interrupted.length} run(s) left by a stopped process as interrupted: #${interrupted.join(', #')}`);
  const deps = () => ({ db, secretBox: secretBox() });
  const runDeps = () => {
    if (!runner) throw new CliError('internal: no runner in this process');
    return { db, runner };
  };
  const by: Actor = { actor: `cli:${os.userInfo().username}`, address: 'local' };

  return {
    mode: 'in-process',
    where: env.dataDir,
    listClusters: () => call(() => listClusters({ db })),
    getCluster: (clusterId) => call(() => getCluster({ db }, { clusterId })),
    createCluster: (spec, kubekeySource) => call(() => createCluster(deps(), { spec, kubekeySource }, by)),
    updateCluster: (input) => call(() => updateCluster(deps(), input, by)),
    probeHost: (clusterId, host) => call(() => probeHost(deps(), { clusterId, host })),
    acceptKey: (clusterId, host, fingerprint) => call(() => acceptKey(deps(), { clusterId, host, fingerprint }, by)),
    startRun: (input) => call(() => startRun(runDeps(), input, by)),
    retryRun: (runId, confirmName) => call(() => retryRun(runDeps(), { runId, confirmName }, 'all', by)),
    cancelRun: (runId) =>
      call(() => {
        const row = readRunRow(db, runId);
        const live = row && (row.status === 'queued' || row.status === 'running');
        if (live && !runner?.isLive(runId)) {
          const elsewhere = opts.cancelElsewhere?.(runId);
          if (elsewhere) return { runId, ...elsewhere };
        }
        return cancelRun(runDeps(), { runId }, by);
      }),
    listRuns: (input) => call(() => listRuns({ db }, ListRunsInput.parse(input))),
    getRun: (runId) => call(() => getRun({ db }, { runId })),
    pageLogs: (input) => call(() => pageLogs({ db }, LogsPageInput.parse(input))),
    exportKubeKey: (clusterId) => call(() => exportKubeKey({ db }, { clusterId })),
    etcdBackups: (clusterId) => call(() => etcdBackupsOf({ db, env: { dataDir: env.dataDir } }, { clusterId })),
    etcdCertificates: (clusterId) => call(() => etcdCertificates({ db, env: { dataDir: env.dataDir } }, { clusterId })),
    clusterStatus: (clusterId) => call(() => getClusterStatus({ db }, { clusterId })),
    kubeconfig: (input) => call(() => downloadKubeconfig(deps(), input, by)),
    watch: (runId, handlers, signal) => {
      const r = runDeps().runner;
      return followRun(
        {
          start: ({ batch, sync }) => {
            const stop = r.bus.subscribe({ events: (id, events) => id === runId && batch([...events]) });
            sync();
            return stop;
          },
          request: async (afterSeq) => watchRun(db, runId, afterSeq),
        },
        handlers,
        signal,
      );
    },
    close: async () => {
      await runner?.stop();
      db.$client.close();
    },
  };
}
