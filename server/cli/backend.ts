import type { ClusterStatus } from '../contracts/cluster-status';
import type { KubeconfigInput, KubeconfigResult } from '../contracts/kubeconfig-api';
import type { ClusterDetail, ClusterSummary, HostKeyChange, ProbeResult, SaveResult } from '../contracts/cluster-api';
import type { CancelRunResult, GetRunResult, ListRunsInput, ListRunsResult, LogsPageInput, LogsPageResult, StartRunInput, StartRunResult } from '../contracts/run-api';
import type { EtcdBackupInfo, EtcdCertInfo } from '../contracts/etcd-api';
import type { RunEvent } from '../contracts/run-events';
import type { RunWatchResult } from '../contracts/run-socket';
import type { RunSnapshot } from '../contracts/run-types';
import { RunSeqCursor } from '../contracts/run-socket';
import { isTerminal, RUN_TRANSITIONS } from '../contracts/status';

export type WatchHandlers = {
  /** the state to start from (only when too many events were missed to replay them all) */
  snapshot: (s: RunSnapshot) => void;
  /** every event once, in seq order */
  events: (events: RunEvent[]) => void;
};

/** What the CLI does, the same whether through a running server (tRPC + socket.io) or in-process on the data dir. */
export type Backend = {
  mode: 'server' | 'in-process';
  /** where it goes: the server's URL or the data dir */
  where: string;
  listClusters: () => Promise<ClusterSummary[]>;
  getCluster: (clusterId: number) => Promise<ClusterDetail>;
  /** kubekeySource: the file the spec came from, kept (secrets blanked) so that `spec export` returns it */
  createCluster: (spec: unknown, kubekeySource?: string) => Promise<SaveResult>;
  updateCluster: (input: { clusterId: number; expectedVersion: number; spec: unknown; kubekeySource?: string }) => Promise<SaveResult>;
  probeHost: (clusterId: number, host: string) => Promise<ProbeResult>;
  acceptKey: (clusterId: number, host: string, fingerprint: string) => Promise<HostKeyChange>;
  startRun: (input: StartRunInput) => Promise<StartRunResult>;
  /** confirmName: the cluster's name, for a run of a confirmed pipeline (removeNodes, etcdRestore) */
  retryRun: (runId: number, confirmName?: string) => Promise<StartRunResult>;
  cancelRun: (runId: number) => Promise<CancelRunResult>;
  listRuns: (input: Partial<ListRunsInput>) => Promise<ListRunsResult>;
  getRun: (runId: number) => Promise<GetRunResult>;
  pageLogs: (input: Partial<LogsPageInput> & { runId: number }) => Promise<LogsPageResult>;
  exportKubeKey: (clusterId: number) => Promise<{ name: string; text: string }>;
  etcdBackups: (clusterId: number) => Promise<EtcdBackupInfo[]>;
  etcdCertificates: (clusterId: number) => Promise<EtcdCertInfo[]>;
  clusterStatus: (clusterId: number) => Promise<ClusterStatus | null>;
  kubeconfig: (input: KubeconfigInput) => Promise<KubeconfigResult>;
  /** Follows a run from its first event until it ends (resolves then). */
  watch: (runId: number, handlers: WatchHandlers, signal?: AbortSignal) => Promise<void>;
  close: () => Promise<void>;
};

const ended = (e: RunEvent) => e.type === 'run.status' && isTerminal(RUN_TRANSITIONS, e.status);

export type WatchTransport = {
  /** starts listening: live batches go to `batch`; call `sync` once connected (again after each reconnect), `fail` to give up; returns a stop function */
  start: (io: { batch: (events: RunEvent[]) => void; sync: () => void; fail: (err: Error) => void }) => () => void;
  /** the run:watch answer for events after afterSeq */
  request: (afterSeq: number) => Promise<RunWatchResult>;
};

/**
 * The run:watch protocol for either transport: listen first, then ask for everything after the last applied seq
 * (0 at first); the cursor applies each seq once across answers and live batches. Resolves once the run has ended.
 */
export function followRun(transport: WatchTransport, handlers: WatchHandlers, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cursor = new RunSeqCursor();
    let done = false;
    let stop: () => void = () => undefined;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      stop();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    };
    const apply = (events: RunEvent[]) => {
      if (done || events.length === 0) return;
      handlers.events(events);
      if (events.some(ended)) finish();
    };
    const onAbort = () => finish(signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const sync = () => {
      cursor.unsync();
      transport.request(cursor.afterSeq ?? 0).then((res) => {
        if (done) return;
        if (!res.ok) return finish(new Error(res.error));
        if (res.mode === 'replay') return apply(cursor.fromReplay(res.events));
        handlers.snapshot(res.snapshot);
        const held = cursor.fromSnapshot(res.snapshot.seq);
        if (isTerminal(RUN_TRANSITIONS, res.snapshot.run.status)) return finish();
        apply(held);
      }, finish);
    };
    stop = transport.start({ batch: (events) => apply(cursor.accept(events)), sync, fail: finish });
    if (done) stop();
  });
}
