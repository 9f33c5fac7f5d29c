import { and, eq, inArray, ne } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { AppServices } from '../../app-services';
import type { DeleteClusterInput, DeleteClusterResult } from '../../contracts/cluster-api';
import type { RunStatus } from '../../contracts/status';
import type { Db } from '../../db/client';
import { readRunRow } from '../../db/runs';
import { clusters, runs } from '../../db/schema';
import { deleteSecrets } from '../../secrets/store';
import { ServiceError } from '../../errors';
import { getClusterRow, type ClusterRow } from './cluster-row';
import type { Actor, Deps, Tx } from './deps';

type DeleteDeps = Pick<Deps, 'db'> & Partial<Pick<AppServices, 'runner'>>;

/**
 * The user types the cluster's name (checked here, not only in the browser). Without resetFirst the cluster is deleted
 * now; with it a resetCluster run starts and the cluster is deleted when that run succeeded (deleteAfterReset).
 * Refused while a run of the cluster is queued or running; its runs stay in history with their cluster name.
 */
export async function deleteCluster(deps: DeleteDeps, input: DeleteClusterInput, by: Actor): Promise<DeleteClusterResult> {
  const row = getClusterRow(deps.db, input.clusterId);
  if (input.confirmName !== row.name) {
    const message = `type the cluster's name "${row.name}" to delete it`;
    throw new ServiceError('BAD_REQUEST', message, [{ path: 'confirmName', message }]);
  }
  if (!input.resetFirst) return { deleted: true, ...removeCluster(deps.db, row.id, by) };
  if (row.draft) throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}" is a draft: it has no hosts to reset; delete it without resetting`);
  if (!deps.runner) throw new Error('deleteCluster: resetFirst needs the runner');
  refuseIfActive(deps.db, row);
  const { runId } = await deps.runner.start({ clusterId: row.id, pipeline: 'resetCluster', thenDelete: true, createdBy: by.actor });
  audit(deps.db, { ...by, action: 'cluster.delete_requested', target: row.name, detail: { clusterId: row.id, resetRunId: runId } });
  return { deleted: false, runId };
}

/** Deletes the cluster row and its secrets in one transaction; `exceptRunId` is the reset run that is ending now. */
export function removeCluster(db: Db, clusterId: number, by: Actor, opts: { exceptRunId?: number } = {}): { id: number; name: string } {
  return db.transaction((tx) => {
    const row = getClusterRow(tx, clusterId);
    refuseIfActive(tx, row, opts.exceptRunId);
    const secrets = deleteSecrets(tx, row.id);
    tx.delete(clusters).where(eq(clusters.id, row.id)).run();
    const detail = { clusterId: row.id, secretsDeleted: secrets, ...(opts.exceptRunId ? { afterResetRun: opts.exceptRunId } : {}) };
    if (!row.draft) audit(tx, { ...by, action: 'cluster.deleted', target: row.name, detail });
    return { id: row.id, name: row.name };
  }, { behavior: 'immediate' });
}

function refuseIfActive(db: Db | Tx, row: ClusterRow, exceptRunId?: number) {
  const active = db
    .select({ id: runs.id, status: runs.status })
    .from(runs)
    .where(and(eq(runs.clusterId, row.id), inArray(runs.status, ['queued', 'running']), ...(exceptRunId ? [ne(runs.id, exceptRunId)] : [])))
    .get();
  if (active) throw new ServiceError('PRECONDITION_FAILED', `run ${active.id} of cluster "${row.name}" is ${active.status}: cancel it or wait for it to end before deleting the cluster`);
}

/**
 * After a resetCluster run asked for by a deletion: deleted when the run succeeded, else kept (and the audit log says
 * why). Runs before the run's end is recorded, so whoever sees the run ended sees the cluster gone or kept.
 */
export function deleteAfterReset(db: Db, clusterId: number, run: { runId: number; status: RunStatus }): boolean {
  const row = readRunRow(db, run.runId);
  const by: Actor = { actor: row?.createdBy ?? 'kubexms', address: null };
  const name = row?.clusterName ?? `cluster ${clusterId}`;
  if (run.status !== 'succeeded') {
    audit(db, { ...by, action: 'cluster.delete_kept', target: name, detail: { clusterId, resetRunId: run.runId, reason: `the reset ended ${run.status}` } });
    return false;
  }
  try {
    removeCluster(db, clusterId, by, { exceptRunId: run.runId });
    return true;
  } catch (err) {
    audit(db, { ...by, action: 'cluster.delete_kept', target: name, detail: { clusterId, resetRunId: run.runId, reason: err instanceof Error ? err.message : String(err) } });
    return false;
  }
}
