import { ArtifactError } from '../../artifacts';
import { pipelineSpecErrors, verifyPipelineArtifacts } from '../../catalog/run-hooks';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { RunOptions } from '../../contracts/run-types';
import type { Db } from '../../db/client';
import { ServiceError } from '../../errors';
import { checkRestorable } from '../etcd/check-restore';

const SPEC_FIELD_OF: Record<string, string> = {
  etcd: 'etcd.version', containerd: 'containerd.version', runc: 'containerd.version', 'cni-plugins': 'containerd.version', crictl: 'containerd.version',
  kubeadm: 'kubernetes.version', kubelet: 'kubernetes.version', kubectl: 'kubernetes.version',
  calico: 'network.plugin', flannel: 'network.plugin', haproxy: 'kubernetes.controlPlaneEndpoint.internalLoadbalancer',
};

/**
 * Refuses a run before any host is touched: a restore of a backup that cannot be restored, a spec a module in the run
 * cannot take (the etcd/Kubernetes pairing), an artifact without a checksum (named by its spec field).
 */
export function runVerifier(deps: { db: Db; dataDir: string }) {
  return async (spec: ClusterSpec, pipeline: string, opts: RunOptions, clusterId: number): Promise<void> => {
    if (pipeline === 'etcdRestore') checkRestorable(deps.db, deps.dataDir, clusterId, opts.backupId);
    const refused = pipelineSpecErrors(pipeline, spec, opts);
    if (refused.length > 0) throw new ServiceError('BAD_REQUEST', refused.map((e) => `${e.path}: ${e.message}`).join('; '), refused);
    try {
      await verifyPipelineArtifacts(spec, pipeline, opts);
    } catch (err) {
      if (err instanceof ArtifactError) throw new ServiceError('BAD_REQUEST', err.message, [{ path: SPEC_FIELD_OF[err.component] ?? 'artifacts.mirror', message: err.message }]);
      throw err;
    }
  };
}
