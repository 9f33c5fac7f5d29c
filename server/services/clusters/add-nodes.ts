import { newHostsError, type AddNodesInput, type AddNodesResult } from '../../contracts/add-nodes-api';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { mapSecrets } from '../../contracts/spec-secrets';
import { validateSpec } from '../../contracts/spec-validate';
import { ServiceError, type FieldError } from '../../errors';
import { listSecretPaths } from '../../secrets/store';
import type { RunDeps } from '../runs/deps';
import { startRun } from '../runs/start-run';
import { savedClusterRow } from './cluster-row';
import { invalidSpec, staleVersion, type Actor, type Deps } from './deps';
import { dropHosts } from './drop-hosts';
import { updateCluster } from './update-cluster';

/**
 * Adds hosts to a saved cluster and starts addNodes on them alone. Nothing is saved when a host is invalid or its key
 * is not pinned; when the run is refused (busy hosts, missing artifacts), the hosts are taken out of the spec again.
 */
export async function addNodes(deps: Deps & RunDeps, input: AddNodesInput, by: Actor): Promise<AddNodesResult> {
  const row = savedClusterRow(deps.db, input.clusterId);
  if (row.version !== input.expectedVersion) throw staleVersion(input.expectedVersion, row.version);
  const current = row.spec as ClusterSpecPublic;
  const existing = current.hosts.map((h) => h.name);
  const kept = mapSecrets(current, () => undefined) as { hosts: unknown[] };
  const spec = { ...kept, hosts: [...kept.hosts, ...input.hosts] };
  const checked = validateSpec(spec, { secrets: new Set(listSecretPaths(deps.db, row.id)) });
  if (!checked.ok) throw invalidSpec(checked.errors.map((e) => newHostsError(e, existing)));
  const added = checked.spec.hosts.slice(existing.length);
  const unpinned: FieldError[] = added.flatMap((h, i) => (h.hostKeyFingerprint ? [] : [{ path: `hosts.${i}.hostKeyFingerprint`, message: `test the connection to ${h.name} and accept its host key first` }]));
  if (unpinned.length) throw new ServiceError('BAD_REQUEST', `${unpinned.length} new host key${unpinned.length === 1 ? ' is' : 's are'} not accepted yet; nothing was saved`, unpinned);

  const nodes = added.map((h) => h.name);
  const saved = updateCluster(deps, { clusterId: row.id, expectedVersion: row.version, spec }, by, { adoptNewPins: true });
  try {
    const { runId } = await startRun(deps, { clusterId: row.id, pipeline: 'addNodes', nodes, ...(input.until ? { until: input.until } : {}) }, by);
    return { runId, nodes, version: saved.version };
  } catch (err) {
    dropHosts(deps, row.id, nodes, by);
    throw err;
  }
}
