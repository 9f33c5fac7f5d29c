import type { Backend } from './backend';
import { EXIT, type ExitCode } from './errors';
import { jsonRenderer, plainRenderer, ttyRenderer, type Out } from './progress';
import { RunView } from './run-view';

export type Io = { out: Out; err: Out; output: 'text' | 'json' };

/** Shows a run live until it ends; Ctrl-C cancels it (a second Ctrl-C stops waiting). 0 only when it succeeded. */
export async function followRun(backend: Backend, runId: number, io: Io): Promise<ExitCode> {
  const first = await backend.getRun(runId);
  const view = new RunView(runId, first.run.pipeline, first.plan, first.run.hosts);
  const json = io.output === 'json';
  const renderer = json ? jsonRenderer(io.out) : io.out.isTTY ? ttyRenderer(io.out) : plainRenderer(io.out);
  const info = json ? io.err : io.out;
  const via = backend.mode === 'server' ? `through the server at ${backend.where} (live in its dashboard)` : `in-process on ${backend.where}`;
  info.write(`run #${runId} ${first.run.pipeline} on cluster ${first.run.clusterName}: ${first.run.hosts.length} host(s), ${view.total} steps, ${via}\n`);
  if (json) io.out.write(`${JSON.stringify({ type: 'run.created', runId, pipeline: first.run.pipeline, clusterId: first.run.clusterId, clusterName: first.run.clusterName, hosts: first.run.hosts, mode: backend.mode })}\n`);

  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      io.err.write(`\ncancelling run #${runId} (Ctrl-C again to stop waiting)\n`);
      backend.cancelRun(runId).catch((err: unknown) => io.err.write(`cancel failed: ${(err as Error).message}\n`));
    } else abort.abort(new Error(`stopped waiting for run #${runId}`));
  };
  process.on('SIGINT', onSigint);
  try {
    await backend.watch(
      runId,
      {
        snapshot: (s) => view.fromSnapshot(s),
        events: (events) => renderer.events(view, events, events.flatMap((e) => view.apply(e))),
      },
      abort.signal,
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
  const final = await backend.getRun(runId);
  renderer.end(view, final.run);
  const exitCode = final.run.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  if (json) {
    const result = { type: 'run.result', runId, pipeline: final.run.pipeline, status: final.run.status, statusReason: final.run.statusReason, failure: view.failure, counts: final.run.summary.total, exitCode };
    io.out.write(`${JSON.stringify(result)}\n`);
  }
  return exitCode;
}
