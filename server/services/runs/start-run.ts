import { audit } from '../../audit/audit';
import type { StartRunInput, StartRunResult } from '../../contracts/run-api';
import type { Actor } from '../clusters/deps';
import type { RunDeps } from './deps';

export async function startRun(deps: RunDeps, input: StartRunInput, by: Actor): Promise<StartRunResult> {
  const { runId } = await deps.runner.start({ ...input, createdBy: by.actor });
  audit(deps.db, { ...by, action: 'run.started', target: `run #${runId}`, detail: { runId, clusterId: input.clusterId, pipeline: input.pipeline, onlyHosts: input.onlyHosts ?? null, until: input.until ?? null } });
  return { runId };
}
