import { and, eq, inArray } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { clusters, runs } from '../../db/schema';
import { deleteSecrets } from '../../secrets/store';
import { ServiceError } from '../../errors';
import { getClusterRow } from './cluster-row';
import type { Actor, Deps } from './deps';

/** Refused while a run of the cluster is queued or running; its runs stay in history with cluster_id set to null. */
export function deleteCluster(deps: Pick<Deps, 'db'>, input: { clusterId: number }, by: Actor): { id: number; name: string } {
  return deps.db.transaction((tx) => {
    const row = getClusterRow(tx, input.clusterId);
    const active = tx
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(and(eq(runs.clusterId, row.id), inArray(runs.status, ['queued', 'running'])))
      .get();
    if (active) throw new ServiceError('PRECONDITION_FAILED', `run ${active.id} of cluster "${row.name}" is ${active.status}: cancel it or wait for it to end before deleting the cluster`);
    const secrets = deleteSecrets(tx, row.id);
    tx.delete(clusters).where(eq(clusters.id, row.id)).run();
    if (!row.draft) audit(tx, { ...by, action: 'cluster.deleted', target: row.name, detail: { clusterId: row.id, secretsDeleted: secrets } });
    return { id: row.id, name: row.name };
  }, { behavior: 'immediate' });
}
