import { audit } from '../../audit/audit';
import type { StartRunInput, StartRunResult } from '../../contracts/run-api';
import { CONFIRMED_PIPELINES } from '../../contracts/pipelines';
import { ServiceError } from '../../errors';
import { getClusterRow } from '../clusters/cluster-row';
import type { Actor } from '../clusters/deps';
import type { RunDeps } from './deps';

/** The caller of a confirmed pipeline typed the cluster's name: checked here, not only in the browser. */
export function checkConfirmation(deps: Pick<RunDeps, 'db'>, input: { clusterId: number; pipeline: string; confirmName?: string | undefined }, verb = ''): void {
  if (!CONFIRMED_PIPELINES.has(input.pipeline)) return;
  const { name } = getClusterRow(deps.db, input.clusterId);
  if (input.confirmName === name) return;
  const message = `type the cluster's name "${name}" to confirm ${verb}${input.pipeline}`;
  throw new ServiceError('BAD_REQUEST', message, [{ path: 'confirmName', message }]);
}

export async function startRun(deps: RunDeps, input: StartRunInput, by: Actor): Promise<StartRunResult> {
  checkConfirmation(deps, input);
  const { confirmName: _typed, ...start } = input;
  const { runId } = await deps.runner.start({ ...start, createdBy: by.actor });
  audit(deps.db, { ...by, action: 'run.started', target: `run #${runId}`, detail: { runId, clusterId: input.clusterId, pipeline: input.pipeline, onlyHosts: input.onlyHosts ?? null, until: input.until ?? null } });
  return { runId };
}
