import { audit } from '../../audit/audit';
import type { RepeatRunInput, StartRunResult } from '../../contracts/run-api';
import type { Actor } from '../clusters/deps';
import { readRunRow } from '../../db/runs';
import type { RunDeps } from './deps';
import { rerunFailed, retry } from './repeat-run';
import { checkConfirmation } from './start-run';

/** mode 'all': the same pipeline, spec snapshot and hosts; 'failed': only hosts where a step failed or did not run. */
export async function retryRun(deps: RunDeps, input: RepeatRunInput, mode: 'all' | 'failed', by: Actor): Promise<StartRunResult> {
  const parent = readRunRow(deps.db, input.runId);
  // removing nodes or restoring etcd again is asked for again, as the first time (the nodes or the data may differ now)
  if (parent?.clusterId != null) checkConfirmation(deps, { clusterId: parent.clusterId, pipeline: parent.pipeline, confirmName: input.confirmName }, mode === 'all' ? 'a retry of ' : 'a rerun of ');
  const { runId } = mode === 'all' ? await retry(deps, input.runId, by.actor) : await rerunFailed(deps, input.runId, by.actor);
  audit(deps.db, { ...by, action: 'run.retried', target: `run #${runId}`, detail: { runId, parentRunId: input.runId, mode, clusterId: readRunRow(deps.db, runId)?.clusterId ?? null } });
  return { runId };
}
