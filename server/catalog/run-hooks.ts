import type { ClusterSpec } from '../contracts/cluster-spec';
import type { ClusterStatus } from '../contracts/cluster-status';
import { runIncludes, type InstallModule } from '../contracts/run-phases';
import type { RunOptions } from '../contracts/run-types';
import type { SpecIssue } from '../contracts/spec-checks';
import { etcdPairErrors } from '../contracts/version-pairs';
import type { ClusterRuntime } from '../engine';
import type { SecretBox } from '../secrets/box';
import { containerdArtifactNeeds } from './containerd/tasks';
import { etcdArtifacts } from './etcd/tasks';
import { kubernetesArtifacts } from './kubernetes/tasks';
import { CACHE_KEYS, setCatalogContext } from './common/catalog-context';
import { verifyArtifacts, type ArtifactNeed } from './common/host-artifacts';
import { collectClusterStatus } from './status/steps';

/**
 * What a pipeline downloads, checked before any host is touched, the CNI manifest included: no public sha256 exists
 * for the calico/flannel manifests, so without a mirror that lists them a run with the kubernetes module is refused here.
 */
export function pipelineArtifacts(pipeline: string, spec: ClusterSpec, options: Pick<RunOptions, 'until'> = {}): ArtifactNeed[] {
  if (pipeline === 'etcdRollingUpdate') return etcdArtifacts(spec);
  if (pipeline !== 'createCluster' && pipeline !== 'addNodes') return [];
  const has = (m: InstallModule) => runIncludes(options, m);
  return [
    ...(has('containerd') ? containerdArtifactNeeds(spec) : []),
    ...(has('etcd') ? etcdArtifacts(spec) : []),
    ...(has('kubernetes') ? kubernetesArtifacts(spec) : []),
  ];
}

/** Spec checks that hold only for a run that reaches a module: the etcd/Kubernetes pairing when kubernetes is in it. */
export function pipelineSpecErrors(pipeline: string, spec: ClusterSpec, options: Pick<RunOptions, 'until'> = {}): SpecIssue[] {
  if (pipeline !== 'createCluster' && pipeline !== 'addNodes') return [];
  return runIncludes(options, 'kubernetes') ? etcdPairErrors(spec) : [];
}

export async function verifyPipelineArtifacts(spec: ClusterSpec, pipeline: string, options: RunOptions, signal?: AbortSignal): Promise<void> {
  await verifyArtifacts(spec, pipelineArtifacts(pipeline, spec, options), { signal });
}

export type CatalogRunDeps = {
  dataDir: string;
  secretBox?: SecretBox;
  keepKubeconfig?: (clusterId: number, kubeconfig: string) => void;
  keepStatus?: (clusterId: number, status: ClusterStatus) => void;
};

export function catalogRunHooks(deps: CatalogRunDeps) {
  return {
    beforeRun: (runtime: ClusterRuntime<ClusterSpec, unknown>, clusterId: number) =>
      setCatalogContext(runtime, { dataDir: deps.dataDir, clusterId, ...(deps.secretBox ? { secretBox: deps.secretBox } : {}) }),
    afterRun: (runtime: ClusterRuntime<ClusterSpec, unknown>, clusterId: number, run?: { runId: number; pipeline: string }) => {
      const kubeconfig = runtime.cache.get(CACHE_KEYS.kubeconfig);
      if (kubeconfig) deps.keepKubeconfig?.(clusterId, kubeconfig);
      if (run?.pipeline === 'status') deps.keepStatus?.(clusterId, collectClusterStatus(runtime, run.runId));
    },
  };
}
