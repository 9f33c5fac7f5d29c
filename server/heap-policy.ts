import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC, in percent. V8's own factor goes up to
 * 4× while allocation is fast, and a live run allocates fast (every log line is a few short-lived objects, many of them
 * kept past a scavenge by the 150 ms log batch): the heap then grew from ~80 MB to ~300 MB of mostly garbage
 * (bench:live, issue #20). Measured with bench:live in bench/README.md; it is a growth rate, not a cap: a larger live heap
 * (a 2,000-host run) still gets all the room it needs, it is only collected sooner.
 */
export const HEAP_GROWING_PERCENT = 15;

/** Sets V8's heap growing factor at run time (read at each GC); an explicit --heap-growing-percent on the command line wins. */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT, execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
