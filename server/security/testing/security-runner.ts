import { posix } from 'node:path';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { CONTAINERD_PATHS } from '../../catalog/containerd/render';
import { writeConfig } from '../../catalog/containerd/steps';
import { containerdArtifacts } from '../../catalog/containerd/versions';
import type { KxContext, KxPipeline } from '../../catalog/common/types';
import { K8S_PATHS } from '../../catalog/kubernetes/render';
import { sh } from '../../connectors/shell-quote';
import { PIPELINES } from '../../catalog/pipelines';
import { fetchKubeconfig } from '../../catalog/kubernetes/steps';
import { preflightModule } from '../../catalog/preflight/tasks';
import { SshConnector } from '../../connectors/ssh';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { createAppRunner } from '../../app-runner';
import { PipelineRegistry } from '../../runner/registry';
import type { ConnectFn, Runner } from '../../runner/runner';
import { sshConnect } from '../../runner/connect';
import { readRunRow } from '../../db/runs';
import { testEnv, type TestEnv } from '../../services/testing/test-env';
import { TEST_PIPELINES } from '../../runner/testing/pipelines';

export const HOSTILE_PIPELINE = 'security:hostile';
export const CONFIG_PIPELINE = 'security:config';
export const KUBECONFIG_PIPELINE = 'security:kubeconfig';
export const PRINT_KUBECONFIG_PIPELINE = 'security:print-kubeconfig';

const configModule = (spec: ClusterSpec) => ({ name: 'containerd config', tasks: [{ name: 'Write containerd config', steps: [writeConfig(containerdArtifacts(spec))] }] });

/** Read-only preflight, then the real containerd step that writes spec values (registry auth, mirrors) into config files. */
export function hostilePipeline(spec: ClusterSpec): KxPipeline {
  return { name: HOSTILE_PIPELINE, modules: [preflightModule(spec, { fix: false }), configModule(spec)] };
}

/** Only the containerd config step (sudo and file writes, no preflight). */
export function configPipeline(spec: ClusterSpec): KxPipeline {
  return { name: CONFIG_PIPELINE, modules: [configModule(spec)] };
}

/** The real "Fetch the admin kubeconfig" step on the first host (without its kubectl check): the runner keeps it encrypted. */
export function kubeconfigPipeline(spec: ClusterSpec): KxPipeline {
  const first = spec.hosts[0]?.name;
  const step = { ...fetchKubeconfig, check: async () => false };
  return { name: KUBECONFIG_PIPELINE, modules: [{ name: 'Kubeconfig', tasks: [{ name: 'Fetch the admin kubeconfig', filter: (h) => h.name === first, steps: [step] }] }] };
}

/** Prints the admin kubeconfig of the first host (as a debugging step might): its keys must reach the logs redacted. */
export function printKubeconfigPipeline(spec: ClusterSpec): KxPipeline {
  const first = spec.hosts[0]?.name;
  const step = { name: 'Print the admin kubeconfig', check: async () => false, run: async (ctx: KxContext) => void (await ctx.sudo(sh`cat -- ${K8S_PATHS.adminConf}`)) };
  return { name: PRINT_KUBECONFIG_PIPELINE, modules: [{ name: 'Kubeconfig', tasks: [{ name: 'Print', filter: (h) => h.name === first, steps: [step] }] }] };
}

/** Files the hostile pipeline may write on a host (backed up and restored by the test). */
export const CONFIG_PATHS = [posix.dirname(CONTAINERD_PATHS.config), CONTAINERD_PATHS.unit, CONTAINERD_PATHS.crictlConfig];

export type SecurityRunner = { env: TestEnv; runner: Runner; connects: string[]; ended: (runId: number, timeoutMs?: number) => Promise<NonNullable<ReturnType<typeof readRunRow>>>; close: () => Promise<void> };

/** The production runner (createAppRunner: catalog hooks, SSH) on a real SQLite file, with every connection recorded. */
export function startSecurityRunner(): SecurityRunner {
  const env = testEnv();
  const connects: string[] = [];
  const connect: ConnectFn = (host, pinned, run) => {
    connects.push(host.name);
    return sshConnect(host, pinned, run);
  };
  const registry = new PipelineRegistry()
    .registerAll(PIPELINES)
    .registerAll(TEST_PIPELINES)
    .register(HOSTILE_PIPELINE, hostilePipeline)
    .register(CONFIG_PIPELINE, configPipeline)
    .register(KUBECONFIG_PIPELINE, kubeconfigPipeline)
    .register(PRINT_KUBECONFIG_PIPELINE, printKubeconfigPipeline);
  const runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir }, { registry, connect });
  runner.recover();
  const ended = async (runId: number, timeoutMs = 120_000) => {
    await runner.whenEnded(runId, AbortSignal.timeout(timeoutMs));
    return readRunRow(env.db, runId)!;
  };
  return {
    env,
    runner,
    connects,
    ended,
    close: async () => {
      await runner.stop(1000);
      env.close();
    },
  };
}

/** A root SSH session to a lab host (lab key, pinned key) for reading results quickly. */
export function rootSsh(host: LabHost): SshConnector {
  return new SshConnector({ host: host.address, port: host.port, username: 'root', privateKey: host.rootKey, hostKeyFingerprint: host.hostKeyFingerprint });
}
