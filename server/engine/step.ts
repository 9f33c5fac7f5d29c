import type { Cell } from './cell';
import { createHostContext } from './context';
import { StepError, toFailure } from './errors';
import type { Failure } from './errors';
import type { RunEnv } from './run-env';
import type { Host, Step } from './types';

const NOT_RETRIED = new Set(['auth', 'hostkey', 'cancelled']);

export type CellResult = 'succeeded' | 'skipped' | 'failed' | 'cancelled';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), resolve());
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function attempt<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  step: Step<Spec, HostData>,
  host: Host<HostData>,
  cell: Cell,
): Promise<{ result: 'succeeded' | 'skipped' } | { failure: Failure }> {
  // A step with a timeout gets a signal of its own; the others share the run's (no controller per step: the hot path).
  // Once aborted (cancel or timeout), the step gets abortGraceMs to settle; a step that ignores its signal is abandoned.
  const own = step.timeoutMs !== undefined ? new AbortController() : null;
  const signal = own?.signal ?? env.signal;
  let grace: NodeJS.Timeout | undefined;
  let abandon: (reason: unknown) => void = () => {};
  const abandoned = new Promise<never>((_, reject) => (abandon = reject));
  let timedOut = false;
  const startGrace = (reason: StepError) => {
    grace ??= setTimeout(() => abandon(reason), env.abortGraceMs);
  };
  const relay = () => {
    own?.abort(new StepError('cancelled', 'run cancelled'));
    startGrace(new StepError('cancelled', 'run cancelled'));
  };
  if (env.signal.aborted) relay();
  else env.signal.addEventListener('abort', relay, { once: true });
  const timer =
    own && !own.signal.aborted
      ? setTimeout(() => {
          timedOut = true;
          const reason = new StepError('timeout', `step timed out after ${step.timeoutMs} ms`);
          own.abort(reason);
          startGrace(reason);
        }, step.timeoutMs)
      : undefined;
  let unwatch: (() => void) | undefined;
  try {
    const work = (async () => {
      const connector = await env.connectors.get(host);
      unwatch = connector.onConnecting?.((progress) => cell.connecting(progress));
      const ctx = createHostContext(env, host, connector, cell, signal);
      if (await step.check(ctx)) return 'skipped' as const;
      await step.run(ctx);
      return 'succeeded' as const;
    })();
    return { result: await Promise.race([work, abandoned]) };
  } catch (err) {
    const failure = toFailure(err);
    if (timedOut) return { failure: { ...failure, kind: 'timeout', message: `step timed out after ${step.timeoutMs} ms` } };
    if (env.signal.aborted) return { failure: { ...failure, kind: 'cancelled', message: 'run cancelled' } };
    return { failure };
  } finally {
    unwatch?.();
    clearTimeout(timer);
    clearTimeout(grace);
    env.signal.removeEventListener('abort', relay);
  }
}

/** Runs one step on one host (check, then run), with retries; the cell must be pending. */
export async function runCell<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  step: Step<Spec, HostData>,
  host: Host<HostData>,
  cell: Cell,
  taskFailed: () => boolean,
): Promise<CellResult> {
  cell.start();
  const attempts = 1 + Math.max(0, step.retries ?? 0);
  for (;;) {
    const outcome = await attempt(env, step, host, cell);
    if ('result' in outcome) {
      cell.finish(outcome.result);
      return outcome.result;
    }
    const { failure } = outcome;
    if (failure.kind === 'cancelled' && env.signal.aborted) {
      cell.finish('cancelled', failure);
      return 'cancelled';
    }
    if (cell.attempt >= attempts || NOT_RETRIED.has(failure.kind) || taskFailed()) {
      cell.finish('failed', failure);
      return 'failed';
    }
    const delay = step.retryDelayMs ?? 0;
    cell.log(`attempt ${cell.attempt}/${attempts} failed (${failure.kind}: ${failure.message}); retrying in ${delay} ms\n`, 'system');
    await sleep(delay, env.signal);
    if (env.signal.aborted) {
      cell.finish('cancelled', { kind: 'cancelled', message: 'run cancelled', exitCode: null, stderrTail: '' });
      return 'cancelled';
    }
    cell.attempt += 1;
  }
}
