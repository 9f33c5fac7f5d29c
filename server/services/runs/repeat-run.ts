import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { RunOptions } from '../../contracts/run-types';
import { readCells, readRunRow } from '../../db/runs';
import { notFound, ServiceError } from '../../errors';
import { secretValuesByPath } from '../../runner/prepare';
import { MissingSecretsError, mergeSecrets } from '../../spec/secrets';
import type { RunDeps } from './deps';

/** A new run of the same pipeline, spec snapshot and options; steps already done are skipped by their checks. */
export async function retry(deps: RunDeps, runId: number, createdBy: string | null = null): Promise<{ runId: number }> {
  const { parent, loaded, spec } = await parentRun(deps, runId);
  return deps.runner.enqueue({ loaded, spec, pipeline: parent.pipeline, options: { ...repeatedOptions(parent.options), repeat: 'retry' }, parentRunId: parent.id, createdBy });
}

/** A deletion is asked for with the cluster's name typed, never by repeating a run. */
function repeatedOptions(options: unknown) {
  const { thenDelete: _, ...rest } = RunOptions.parse(options ?? {});
  return rest;
}

/** A new run only on the hosts where a step failed or did not run. */
export async function rerunFailed(deps: RunDeps, runId: number, createdBy: string | null = null): Promise<{ runId: number }> {
  const { parent, loaded, spec } = await parentRun(deps, runId);
  const hosts = [...new Set(readCells(deps.db, runId).filter((c) => c.status !== 'succeeded' && c.status !== 'skipped').map((c) => c.host))];
  if (hosts.length === 0) throw new ServiceError('PRECONDITION_FAILED', `run #${runId} has no failed or unfinished steps to run again`);
  const options = { ...repeatedOptions(parent.options), onlyHosts: spec.hosts.map((h) => h.name).filter((n) => hosts.includes(n)), repeat: 'failedHosts' as const };
  return deps.runner.enqueue({ loaded, spec, pipeline: parent.pipeline, options, parentRunId: parent.id, createdBy });
}

async function parentRun(deps: RunDeps, runId: number) {
  const parent = readRunRow(deps.db, runId);
  if (!parent) throw notFound(`run #${runId}`);
  if (parent.status === 'queued' || parent.status === 'running') throw new ServiceError('CONFLICT', `run #${runId} has not finished yet`);
  if (parent.clusterId === null) throw new ServiceError('PRECONDITION_FAILED', `the cluster of run #${runId} was deleted`);
  const loaded = await deps.runner.loadCluster(parent.clusterId);
  try {
    return { parent, loaded, spec: mergeSecrets(parent.specSnapshot as ClusterSpecPublic, secretValuesByPath(loaded.spec)) };
  } catch (err) {
    if (err instanceof MissingSecretsError) throw new ServiceError('PRECONDITION_FAILED', `run #${runId} cannot be repeated: the cluster no longer holds ${err.paths.join(', ')}`);
    throw err;
  }
}
