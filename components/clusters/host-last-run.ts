import type { RunInfo } from '@/server/contracts/run-types';
import type { AnyStatus } from '@/components/ui/status';

export type HostLastRun = { runId: number; pipeline: string; status: AnyStatus };

/** Each host's part of the newest run that touched it (status reads left out): failed beats cancelled beats running. */
export function hostLastRuns(runs: readonly RunInfo[]): Map<string, HostLastRun> {
  const out = new Map<string, HostLastRun>();
  for (const run of runs) {
    if (run.pipeline === 'status') continue;
    for (const host of run.hosts) {
      if (out.has(host)) continue;
      const c = run.summary.hosts[host];
      const live = run.status === 'queued' || run.status === 'running';
      const status: AnyStatus = !c ? run.status : c.failed > 0 ? 'failed' : c.cancelled > 0 ? 'cancelled' : live ? 'running' : c.pending > 0 ? run.status : 'succeeded';
      out.set(host, { runId: run.id, pipeline: run.pipeline, status });
    }
  }
  return out;
}
