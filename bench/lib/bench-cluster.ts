import type { ClusterSpec, ClusterSpecInput, Host as SpecHost } from '../../server/contracts/cluster-spec';
import type { Pipeline, Step } from '../../server/engine';
import { PipelineRegistry } from '../../server/runner/registry';
import { Runner } from '../../server/runner/runner';
import { sshConnect } from '../../server/runner/connect';
import { createCluster } from '../../server/services/clusters/create-cluster';
import { loadClusterForRun } from '../../server/services/clusters/load-for-run';
import { testEnv, type TestEnv } from '../../server/services/testing/test-env';
import type { LightHost } from '../light-hosts/state';
import { benchUser } from '../light-hosts/state';
import type { TrivialStep } from './workload';

/** A cluster spec over light hosts, host keys pinned; the first host carries the control-plane and etcd roles the spec requires. */
export function lightClusterInput(hosts: readonly LightHost[], privateKey: string): ClusterSpecInput {
  return {
    name: `bench-${process.pid}-${Date.now().toString(36)}`,
    kubernetes: { version: 'v1.31.4' },
    hosts: hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      user: benchUser,
      auth: { type: 'key', privateKey },
      hostKeyFingerprint: h.fingerprint,
      roles: i === 0 ? ['etcd', 'control-plane', 'worker'] : ['worker'],
    })),
  } as ClusterSpecInput;
}

export function specPipeline(name: string, steps: readonly TrivialStep[], concurrency: number, extra?: (ctx: Parameters<Step<ClusterSpec, SpecHost>['run']>[0], s: number) => Promise<void>): Pipeline<ClusterSpec, SpecHost> {
  const engineSteps: Step<ClusterSpec, SpecHost>[] = steps.map((s, i) => ({
    name: s.name,
    check: async (ctx) => (await ctx.exec(s.check)).exitCode === 0,
    run: async (ctx) => {
      await ctx.run(s.run);
      await extra?.(ctx, i);
    },
  }));
  return { name, modules: [{ name: 'Bench', tasks: [{ name: 'Trivial', steps: engineSteps, concurrency }] }] };
}

export type BenchRunner = { env: TestEnv; runner: Runner; clusterId: number; close(): Promise<void> };

/** The real runner (recorder, SQLite file in a temp dir, SSH connect with pinned keys) with one bench pipeline. */
export function benchRunner(hosts: readonly LightHost[], privateKey: string, pipelines: Record<string, () => Pipeline<ClusterSpec, SpecHost>>): BenchRunner {
  const env = testEnv();
  const registry = new PipelineRegistry();
  for (const [name, make] of Object.entries(pipelines)) registry.register(name, () => make());
  const runner = new Runner({ db: env.db, registry, loadCluster: (id) => loadClusterForRun(env, id), connect: sshConnect });
  runner.recover();
  const clusterId = createCluster(env, { spec: lightClusterInput(hosts, privateKey) }, { actor: 'bench' }).id;
  return {
    env,
    runner,
    clusterId,
    close: async () => {
      await runner.stop(1000);
      env.close();
    },
  };
}
