import { audit } from '../../audit/audit';
import type { CancelRunResult, RunRef } from '../../contracts/run-api';
import type { Actor } from '../clusters/deps';
import { readRunRow } from '../../db/runs';
import type { RunDeps } from './deps';

export function cancelRun(deps: RunDeps, input: RunRef, by: Actor): CancelRunResult {
  const { status } = deps.runner.cancel(input.runId);
  audit(deps.db, { ...by, action: 'run.cancelled', target: `run #${input.runId}`, detail: { runId: input.runId, clusterId: readRunRow(deps.db, input.runId)?.clusterId ?? null } });
  return { runId: input.runId, status };
}
