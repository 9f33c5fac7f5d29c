import { audit } from '../../audit/audit';
import type { RunRef, StartRunResult } from '../../contracts/run-api';
import type { Actor } from '../clusters/deps';
import { readRunRow } from '../../db/runs';
import type { RunDeps } from './deps';
import { rerunFailed, retry } from './repeat-run';

/** mode 'all': the same pipeline, spec snapshot and hosts; 'failed': only hosts where a step failed or did not run. */
export async function retryRun(deps: RunDeps, input: RunRef, mode: 'all' | 'failed', by: Actor): Promise<StartRunResult> {
  const { runId } = mode === 'all' ? await retry(deps, input.runId, by.actor) : await rerunFailed(deps, input.runId, by.actor);
  audit(deps.db, { ...by, action: 'run.retried', target: `run #${runId}`, detail: { runId, parentRunId: input.runId, mode, clusterId: readRunRow(deps.db, runId)?.clusterId ?? null } });
  return { runId };
}
