import type { SaveResult } from '../../contracts/cluster-api';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { mapSecrets } from '../../contracts/spec-secrets';
import { savedClusterRow } from './cluster-row';
import type { Actor, Deps } from './deps';
import { updateCluster } from './update-cluster';

/** The cluster's spec without the named hosts (after removeNodes succeeded); the other hosts keep their secrets and pins. */
export function dropHosts(deps: Deps, clusterId: number, names: readonly string[], by: Actor): SaveResult {
  const row = savedClusterRow(deps.db, clusterId);
  const spec = row.spec as ClusterSpecPublic;
  const kept = { ...spec, hosts: spec.hosts.filter((h) => !names.includes(h.name)) };
  // an omitted secret keeps its stored value
  const input = mapSecrets(kept, () => undefined);
  return updateCluster(deps, { clusterId, expectedVersion: row.version, spec: input }, by);
}
