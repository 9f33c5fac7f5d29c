import { audit } from '../../audit/audit';
import type { StartRunInput, StartRunResult } from '../../contracts/run-api';
import { ServiceError } from '../../errors';
import { getClusterRow } from '../clusters/cluster-row';
import type { Actor } from '../clusters/deps';
import type { RunDeps } from './deps';

/** Pipelines that destroy what a cluster runs: the caller types the cluster's name (DESIGN §12), checked here, not only in the browser. */
const CONFIRMED_PIPELINES: ReadonlySet<string> = new Set(['removeNodes', 'etcdRestore']);

function checkConfirmation(deps: RunDeps, input: StartRunInput): void {
  if (!CONFIRMED_PIPELINES.has(input.pipeline)) return;
  const { name } = getClusterRow(deps.db, input.clusterId);
  if (input.confirmName === name) return;
  const message = `type the cluster's name "${name}" to confirm ${input.pipeline}`;
  throw new ServiceError('BAD_REQUEST', message, [{ path: 'confirmName', message }]);
}

export async function startRun(deps: RunDeps, input: StartRunInput, by: Actor): Promise<StartRunResult> {
  checkConfirmation(deps, input);
  const { confirmName: _typed, ...start } = input;
  const { runId } = await deps.runner.start({ ...start, createdBy: by.actor });
  audit(deps.db, { ...by, action: 'run.started', target: `run #${runId}`, detail: { runId, clusterId: input.clusterId, pipeline: input.pipeline, onlyHosts: input.onlyHosts ?? null, until: input.until ?? null } });
  return { runId };
}
