import type { ProbeResult } from '../../contracts/cluster-api';
import type { Deps } from '../clusters/deps';
import { savedClusterRow } from '../clusters/cluster-row';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { mapLimit } from './map-limit';
import { probeTarget } from './probe-host';
import { resolveTarget } from './resolve-target';

export const PROBE_CONCURRENCY = 8;

/** Tests every host of a saved cluster, at most PROBE_CONCURRENCY at once; one result per host in spec order. */
export async function probeAll(deps: Deps, input: { clusterId: number }, signal?: AbortSignal): Promise<{ results: ProbeResult[] }> {
  const cluster = savedClusterRow(deps.db, input.clusterId);
  const names = (cluster.spec as ClusterSpecPublic).hosts.map((h) => h.name);
  const targets = names.map((host) => resolveTarget(deps, { clusterId: cluster.id, host }));
  return { results: await mapLimit(targets, PROBE_CONCURRENCY, (t) => probeTarget(deps, t, signal)) };
}
