import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppServices } from '../../app-services';
import { SESSION_COOKIE } from '../../auth/cookie';
import { createLoginLimiter } from '../../auth/rate-limit';
import { createSession } from '../../auth/sessions';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import { users } from '../../db/schema';
import type { Env } from '../../env';
import { createRealtime, type RealtimeServer } from '../../realtime/server';
import type { RunRoomsOptions } from '../../realtime/run-rooms';
import { createCluster } from '../../services/clusters/create-cluster';
import { loadClusterForRun } from '../../services/clusters/load-for-run';
import { testEnv, type TestEnv } from '../../services/testing/test-env';
import { PipelineRegistry } from '../registry';
import { Retention, type RetentionPolicy } from '../retention';
import { Runner, type ConnectFn } from '../runner';
import { sshConnect } from '../connect';
import { TEST_PIPELINES } from './pipelines';
import { PIPELINES } from '../../catalog/pipelines';

export type Harness = {
  env: TestEnv;
  runner: Runner;
  services: AppServices;
  io: RealtimeServer;
  url: string;
  cookie: string;
  addCluster(spec: ClusterSpecInput): number;
  close(): Promise<void>;
};

/** A real SQLite file, the runner with the test pipelines, and socket.io (with its session auth) on 127.0.0.1:0. */
export async function startHarness(opts: { connect?: ConnectFn; rooms?: RunRoomsOptions; retention?: RetentionPolicy } = {}): Promise<Harness> {
  const env = testEnv();
  // the real read-only status pipeline too: how a run connects depends on its pipeline (connect.ts)
  const registry = new PipelineRegistry().registerAll(TEST_PIPELINES).register('status', PIPELINES.status);
  const runner = new Runner({
    db: env.db,
    registry,
    loadCluster: (id) => loadClusterForRun(env, id),
    connect: opts.connect ?? sshConnect,
    ...(opts.retention ? { retention: new Retention(env.db, opts.retention) } : {}),
  });
  runner.recover();
  const services: AppServices = { env: {} as Env, db: env.db, secretBox: env.secretBox, version: 'test', startedAt: Date.now(), loginLimiter: createLoginLimiter(), runner };
  const user = env.db.insert(users).values({ username: 'tester', passwordHash: 'x' }).returning({ id: users.id }).get();
  const { token } = createSession(env.db, user.id, {});
  const server = http.createServer();
  const io = createRealtime(server, services, opts.rooms);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env,
    runner,
    services,
    io,
    url,
    cookie: `${SESSION_COOKIE}=${token}`,
    addCluster: (spec) => createCluster(env, { spec }, { actor: 'tester' }).id,
    close: async () => {
      await runner.stop(1000);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
      env.close();
    },
  };
}
