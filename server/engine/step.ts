import type { Cell } from './cell';
import { createHostContext } from './context';
import { StepError, toFailure } from './errors';
import type { Failure } from './errors';
import type { RunEnv } from './run-env';
import type { Host, Step } from './types';

const NOT_RETRIED = new Set(['auth', 'hostkey', 'cancelled']);

export type CellResult = 'succeeded' | 'skipped' | 'failed' | 'cancelled';

/** Resolves with the work, or rejects once the signal has been aborted for graceMs and the work still has not settled. */
function settleOrAbandon<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = () => {
      grace = setTimeout(() => reject(signal.reason ?? new StepError('cancelled', 'aborted')), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    };
    work.then(
      (v) => (done(), resolve(v)),
      (e: unknown) => (done(), reject(e)),
    );
  });
}

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
  const ac = new AbortController();
  const relay = () => ac.abort(new StepError('cancelled', 'run cancelled'));
  if (env.signal.aborted) relay();
  else env.signal.addEventListener('abort', relay, { once: true });
  let timedOut = false;
  const timer =
    step.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          ac.abort(new StepError('timeout', `step timed out after ${step.timeoutMs} ms`));
        }, step.timeoutMs)
      : undefined;
  let unwatch: (() => void) | undefined;
  try {
    const work = (async () => {
      const connector = await env.connectors.get(host);
      unwatch = connector.onConnecting?.((progress) => cell.connecting(progress));
      const ctx = createHostContext(env, host, connector, cell, ac.signal);
      if (await step.check(ctx)) return 'skipped' as const;
      await step.run(ctx);
      return 'succeeded' as const;
    })();
    return { result: await settleOrAbandon(work, ac.signal, env.abortGraceMs) };
  } catch (err) {
    const failure = toFailure(err);
    if (timedOut) return { failure: { ...failure, kind: 'timeout', message: `step timed out after ${step.timeoutMs} ms` } };
    if (env.signal.aborted) return { failure: { ...failure, kind: 'cancelled', message: 'run cancelled' } };
    return { failure };
  } finally {
    unwatch?.();
    clearTimeout(timer);
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
