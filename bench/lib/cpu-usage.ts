import { readFileSync } from 'node:fs';

export const TICK = 100;

/** The fields of a /proc/<pid>/stat (or /proc/<pid>/task/<tid>/stat) line after the command name: [0] state, [1] ppid, [11] utime, [12] stime. */
export function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of a process (or a thread, by its stat path), in seconds. */
export function processCpuSeconds(pid: number, path = `/proc/${pid}/stat`): number {
  const fields = statFields(path);
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

/** Machine-wide busy and total jiffies (all cores). */
export function machine(): { busy: number; total: number } {
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
