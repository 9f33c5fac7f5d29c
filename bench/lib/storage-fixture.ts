import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from '../../server/contracts/run-types';
import { RunBus } from '../../server/runner/bus';
import { prepareRun, type PreparedRun } from '../../server/runner/prepare';
import { insertPlannedRun } from '../../server/runner/cell-state';
import { Recorder } from '../../server/runner/recorder';
import { PipelineRegistry } from '../../server/runner/registry';
import { createCluster } from '../../server/services/clusters/create-cluster';
import { loadClusterForRun, type ClusterForRun } from '../../server/services/clusters/load-for-run';
import type { TestEnv } from '../../server/services/testing/test-env';
import type { LightHost } from '../light-hosts/state';
import { lightAddress } from '../light-hosts/state';
import { lightClusterInput, specPipeline } from './bench-cluster';
import { trivialSteps } from './workload';

export type StorageCluster = { loaded: ClusterForRun; prepare(hosts: number, steps: number): PreparedRun };

/** A saved cluster of `hostCount` hosts (never contacted) with a generated key, and plans of any size over it. */
export async function storageCluster(env: TestEnv, hostCount: number): Promise<StorageCluster> {
  const keyPath = join(env.dir, 'bench_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  const hosts: LightHost[] = Array.from({ length: hostCount }, (_, i) => ({
    name: `lh${i + 1}`,
    address: lightAddress(i + 1),
    port: 2222,
    fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
    sshd: i,
  }));
  const id = createCluster(env, { spec: lightClusterInput(hosts, readFileSync(keyPath, 'utf8')) }, { actor: 'bench' }).id;
  const loaded = await loadClusterForRun(env, id);
  return {
    loaded,
    prepare: (h, s) => {
      const registry = new PipelineRegistry().register('bench:storage', () => specPipeline('bench:storage', trivialSteps(s), h));
      const options: RunOptions = { onlyHosts: loaded.spec.hosts.slice(0, h).map((x) => x.name) };
      return prepareRun(registry, 'bench:storage', loaded.spec, options);
    },
  };
}

/** A queued run row with its pending cells, and the runner's recorder for it (the secrets of the spec redacted, as in a real run). */
export function recordedRun(env: TestEnv, cluster: StorageCluster, prepared: PreparedRun): { runId: number; recorder: Recorder } {
  const { runId, cells } = insertPlannedRun(env.db, {
    cluster: cluster.loaded.cluster,
    pipeline: 'bench:storage',
    spec: cluster.loaded.spec,
    plan: prepared.plan,
    hosts: prepared.touched,
    options: {},
    parentRunId: null,
    createdBy: 'bench',
  });
  const recorder = new Recorder({ db: env.db, bus: new RunBus(), runId, lastSeq: 0, cells, plan: prepared.plan, redact: prepared.redact });
  return { runId, recorder };
}
