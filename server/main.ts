import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import next from 'next';
import { ensureAdmin } from './auth/bootstrap';
import { claimDataDir } from './data-dir/server-link';
import { createHttpGate } from './auth/http-gate';
import { oidcSettings } from './auth/oidc/env';
import { createOidcFlow } from './auth/oidc/flow';
import { createLoginLimiter } from './auth/rate-limit';
import { readVersion, type AppServices } from './app-services';
import { dbFile, openDb } from './db/client';
import { EnvError, loadEnv } from './env';
import { createRealtime, SOCKET_PATH } from './realtime/server';
import type { PipelineRegistry } from './runner/registry';
import { createAppRunner } from './app-runner';
import { handleLogsDownload } from './services/logs/download-logs';
import { openSecretBox } from './secrets/open-secret-box';
import { contextFactory } from './trpc/context';
import { appRouter } from './trpc/routers';
import { startBackupScheduler } from './services/etcd/backup-scheduler';
import { limitHeapGrowth } from './heap-policy';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ServerOptions = { registry?: PipelineRegistry };

async function main(options: ServerOptions): Promise<void> {
  const env = loadEnv();
  const link = claimDataDir(env.dataDir);
  const db = openDb(dbFile(env.dataDir));
  const { box: secretBox } = openSecretBox(db, env);
  await ensureAdmin(db);
  const runner = createAppRunner({ db, secretBox, dataDir: env.dataDir }, { ...(options.registry ? { registry: options.registry } : {}), statusAfterRun: env.KUBEXMS_STATUS_AFTER_RUN === '1' });
  const interrupted = runner.recover(link.interruptedReasons);
  if (interrupted.length > 0) console.log(`kubexms: marked ${interrupted.length} run(s) left by the previous process as interrupted: #${interrupted.join(', #')}`);
  const stopBackups = startBackupScheduler(db, runner, (m) => console.warn(`kubexms: ${m}`));
  const services: AppServices = { env, db, version: readVersion(), startedAt: Date.now(), secretBox, loginLimiter: createLoginLimiter(), runner };

  const dev = env.NODE_ENV !== 'production';
  const spare = http.createServer();
  const app = next({ dev, dir: ROOT, hostname: env.HOST, port: env.PORT, httpServer: spare });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const handleTrpc = createHTTPHandler({ router: appRouter, createContext: contextFactory(services), basePath: '/api/trpc/' });

  const oidcConfig = oidcSettings(env);
  const oidc = oidcConfig ? createOidcFlow(oidcConfig, { db, publicOrigin: env.KUBEXMS_PUBLIC_ORIGIN }) : null;
  const gate = createHttpGate({ db, publicOrigin: env.KUBEXMS_PUBLIC_ORIGIN, dev });
  const server = http.createServer((req, res) => {
    if (gate(req, res)) return;
    const url = req.url ?? '/';
    if (url.startsWith('/api/trpc/')) return void handleTrpc(req, res);
    if (url.startsWith('/api/runs/') && handleLogsDownload(db, req, res)) return;
    if (url.startsWith('/api/auth/oidc/')) {
      if (oidc) return void oidc.handle(req, res);
      return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('single sign-on is not configured\n');
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end('ok');
    }
    void handleNext(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith(SOCKET_PATH)) spare.emit('upgrade', req, socket, head);
  });
  const io = createRealtime(server, services);

  // Handlers go in before the listening line: a supervisor (or a test) may send SIGTERM the moment it reads it,
  // and a signal that arrives before process.on() gets the default action (killed, no clean exit).
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    const force = setTimeout(() => {
      console.error('shutdown took too long, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    stopBackups();
    await runner.stop();
    link.close();
    io.disconnectSockets(true);
    const closed = new Promise<void>((resolve) => io.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await app.close();
    db.$client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
  link.publish({ db, host: env.HOST, port, version: services.version });
  console.log(`kubexms ${services.version} listening on http://${env.HOST}:${port} (data: ${env.dataDir}, ${dev ? 'dev' : 'production'})`);

}

/** Starts the one process (see server/index.ts); a test entry may pass its own pipeline registry. */
export function runServer(options: ServerOptions = {}): void {
  limitHeapGrowth();
  main(options).catch((err: unknown) => {
    if (err instanceof EnvError) console.error(`kubexms: ${err.message}`);
    else console.error('kubexms: failed to start:', err);
    process.exit(1);
  });
}
