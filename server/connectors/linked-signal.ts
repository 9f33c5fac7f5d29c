/**
 * A signal aborted by either input, with a dispose that detaches it again. AbortSignal.any would do, but on Node 20 each
 * call leaves a reference on a long-lived input signal until that one is collected (nodejs/node#55351): one per command.
 */
export function linkSignals(a: AbortSignal | undefined, b: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  if (!a) return { signal: b, dispose: () => {} };
  const controller = new AbortController();
  const abortFrom = (source: AbortSignal) => () => controller.abort(source.reason);
  if (a.aborted || b.aborted) {
    controller.abort((a.aborted ? a : b).reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onA = abortFrom(a);
  const onB = abortFrom(b);
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}
