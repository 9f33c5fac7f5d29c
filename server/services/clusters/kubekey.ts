import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { exportKubeKey as toYaml } from '../../spec/kubekey-export';
import { importKubeKey as fromYaml, type ImportResult } from '../../spec/kubekey-import';
import { exportOverSource, scrubSource } from '../../spec/kubekey-source';
import { getCluster } from './get-cluster';
import { getClusterRow } from './cluster-row';
import type { Deps } from './deps';
import { ServiceError } from '../../errors';

/** Parses a KubeKey Cluster YAML into a wizard draft; writes nothing. Secrets the file held go back to the caller who sent them. */
export function importKubeKey(input: { text: string }): ImportResult {
  return fromYaml(input.text);
}

/** What is stored of an imported file: never a secret value; a file that does not parse is not kept. */
export function keptSource(text: string | undefined): string | null {
  return text === undefined ? null : (scrubSource(text) ?? null);
}

/** KubeKey v1alpha2 YAML of a saved cluster, without any secret value (pins included): the imported file with kubexms' changes, if there was one. */
export function exportKubeKey(deps: Pick<Deps, 'db'>, input: { clusterId: number }): { name: string; text: string } {
  const detail = getCluster(deps, input);
  if (detail.draft) throw new ServiceError('PRECONDITION_FAILED', `cluster "${detail.name}" is a draft: save it before exporting`);
  const source = getClusterRow(deps.db, input.clusterId).kubekeySource;
  const spec = detail.spec as ClusterSpecPublic;
  return { name: detail.name, text: (source ? exportOverSource(source, spec) : undefined) ?? toYaml(spec) };
}
