import { readFileSync } from 'node:fs';

/** VmHWM (peak resident set) of a process from /proc, in MB. */
export function peakRssMbOf(pid: number | 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export const peakRssMb = (): number => peakRssMbOf('self');

/** VmRSS (resident set now) of a process, in MB. */
export function rssMbOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Samples process.memoryUsage() until stopped; returns the maxima in MB. */
export function sampleMemory(everyMs = 100): () => { rssMb: number; heapUsedMb: number } {
  let rss = 0;
  let heap = 0;
  const take = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, everyMs);
  return () => {
    clearInterval(timer);
    take();
    return { rssMb: rss / 2 ** 20, heapUsedMb: heap / 2 ** 20 };
  };
}
