import fs from 'node:fs';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { CSRF_HEADER } from '../contracts/auth';
import type { RunWatchResult } from '../contracts/run-socket';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket';
import type { FieldError } from '../errors';
import type { Socket } from 'socket.io-client';
import type { AppRouter } from '../trpc/routers';
import { followRun, type Backend } from './backend';
import { cliTokenPath, type ServerFile } from '../data-dir/lock';
import { CliError, fromServiceError } from './errors';

const SESSION_COOKIE = 'kxms_session';

function readToken(dataDir: string, server: ServerFile): string {
  try {
    return fs.readFileSync(cliTokenPath(dataDir), 'utf8').trim();
  } catch (err) {
    throw new CliError(`a kubexms server (pid ${server.pid}, ${server.url}) runs on ${dataDir} but ${cliTokenPath(dataDir)} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function mapError(err: unknown, url: string): never {
  if (err instanceof TRPCClientError) {
    const data = (err as TRPCClientError<AppRouter>).data as { code?: string; fieldErrors?: FieldError[] } | undefined;
    if (!data) throw new CliError(`the kubexms server at ${url} did not answer: ${err.message}`);
    throw fromServiceError(data.code, err.message, data.fieldErrors ?? []);
  }
  throw err;
}

/** The CLI as a client of the server running on the data dir: tRPC over fetch, socket.io for live events, the local CLI token as its session. */
export function openRemoteBackend(dataDir: string, server: ServerFile): Backend {
  const origin = new URL(server.url).origin;
  // KUBEXMS_TOKEN: act as the user who created that token (audited as them); else the server's local token file.
  const userToken = process.env.KUBEXMS_TOKEN || undefined;
  let token = userToken ?? readToken(dataDir, server);
  const credential = (): Record<string, string> => (userToken ? { authorization: `Bearer ${userToken}` } : { cookie: `${SESSION_COOKIE}=${token}` });
  const headers = () => ({ ...credential(), [CSRF_HEADER]: '1' });
  const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${origin}/api/trpc`, headers })] });
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      // The server issues a new token when the old one was revoked (password change): read it once more.
      if (!userToken && err instanceof TRPCClientError && (err.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED') {
        token = readToken(dataDir, server);
        try {
          return await fn();
        } catch (again) {
          return mapError(again, origin);
        }
      }
      if (userToken && err instanceof TRPCClientError && (err.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED') {
        throw new CliError(`the kubexms server at ${origin} refused KUBEXMS_TOKEN: it is revoked or unknown, or its user is disabled; create a new one on the Account page`);
      }
      return mapError(err, origin);
    }
  };

  return {
    mode: 'server',
    where: origin,
    listClusters: () => call(() => trpc.clusters.list.query()),
    getCluster: (clusterId) => call(() => trpc.clusters.get.query({ clusterId })),
    createCluster: (spec, kubekeySource) => call(() => trpc.clusters.create.mutate({ spec, kubekeySource })),
    updateCluster: (input) => call(() => trpc.clusters.update.mutate(input)),
    probeHost: (clusterId, host) => call(() => trpc.hosts.probe.mutate({ clusterId, host })),
    acceptKey: (clusterId, host, fingerprint) => call(() => trpc.hosts.acceptKey.mutate({ clusterId, host, fingerprint })),
    startRun: (input) => call(() => trpc.runs.start.mutate(input)),
    retryRun: (runId, confirmName) => call(() => trpc.runs.retry.mutate({ runId, confirmName })),
    cancelRun: (runId) => call(() => trpc.runs.cancel.mutate({ runId })),
    listRuns: (input) => call(() => trpc.runs.list.query(input)),
    getRun: (runId) => call(() => trpc.runs.get.query({ runId })),
    pageLogs: (input) => call(() => trpc.logs.page.query(input)),
    exportKubeKey: (clusterId) => call(() => trpc.clusters.exportKubeKey.query({ clusterId })),
    etcdBackups: (clusterId) => call(() => trpc.etcd.backups.query({ clusterId })),
    etcdCertificates: (clusterId) => call(() => trpc.etcd.certificates.query({ clusterId })),
    clusterStatus: (clusterId) => call(() => trpc.clusters.status.query({ clusterId })),
    kubeconfig: (input) => call(() => trpc.clusters.kubeconfig.mutate(input)),
    watch: async (runId, handlers, signal) => {
      const { io } = await import('socket.io-client');
      const socket = io(origin, { transports: ['websocket'], extraHeaders: { ...credential(), origin }, reconnectionDelayMax: 2000 });
      const typed = socket as unknown as Socket<ServerToClientEvents, ClientToServerEvents>;
      try {
        await followRun(
          {
            start: ({ batch, sync, fail }) => {
              let refused = 0;
              typed.on('run:events', (b) => b.runId === runId && batch(b.events));
              typed.on('connect', () => {
                refused = 0;
                sync();
              });
              typed.on('connect_error', (err) => {
                if (++refused >= 5) fail(new CliError(`cannot follow run #${runId} live from ${origin}: ${err.message}; see it with: kubexms runs show ${runId}`));
              });
              return () => typed.removeAllListeners();
            },
            request: (afterSeq) =>
              new Promise<RunWatchResult>((resolve) => typed.timeout(30_000).emit('run:watch', { runId, afterSeq }, (err: Error | null, res: RunWatchResult) => resolve(err ? { ok: false, mode: 'error', error: `run:watch: ${err.message}` } : res))),
          },
          handlers,
          signal,
        );
      } finally {
        socket.close();
      }
    },
    close: async () => undefined,
  };
}
