import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { exportKubeKey as toYaml } from '../../spec/kubekey-export';
import { importKubeKey as fromYaml, type ImportResult } from '../../spec/kubekey-import';
import { getCluster } from './get-cluster';
import type { Deps } from './deps';
import { ServiceError } from '../../errors';

/** Parses a KubeKey Cluster YAML into a wizard draft; writes nothing. Secrets the file held go back to the caller who sent them. */
export function importKubeKey(input: { text: string }): ImportResult {
  return fromYaml(input.text);
}

/** KubeKey v1alpha2 YAML of a saved cluster, without any secret value (pins included). */
export function exportKubeKey(deps: Pick<Deps, 'db'>, input: { clusterId: number }): { name: string; text: string } {
  const detail = getCluster(deps, input);
  if (detail.draft) throw new ServiceError('PRECONDITION_FAILED', `cluster "${detail.name}" is a draft: save it before exporting`);
  return { name: detail.name, text: toYaml(detail.spec as ClusterSpecPublic) };
}
