import { readFileSync } from 'node:fs';

const TICK = 100;

/** utime + stime of a process, in seconds. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

/** Machine-wide busy and total jiffies (all cores). */
function machine(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Starts counting; the returned function gives the process's CPU seconds and the machine's busy share since then. */
export function cpuMeter(pid: number): () => { processSeconds: number; machineBusy: number } {
  const p0 = processCpuSeconds(pid);
  const m0 = machine();
  return () => {
    const m1 = machine();
    return { processSeconds: processCpuSeconds(pid) - p0, machineBusy: (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total) };
  };
}
