import { readdirSync, readFileSync } from 'node:fs';
import { machine, processCpuSeconds, statFields, TICK } from './cpu-usage';

type Proc = { pid: number; ppid: number; cpu: number };

function readProc(pid: number): Proc | null {
  try {
    const f = statFields(`/proc/${pid}/stat`);
    return { pid, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK };
  } catch {
    return null;
  }
}

function threadCpu(pid: number, tid: number): number {
  try {
    return processCpuSeconds(pid, `/proc/${pid}/task/${tid}/stat`);
  } catch {
    return 0;
  }
}

/** Chromium's process role from its command line: browser, renderer, gpu-process, the network service, other. */
function role(pid: number): string {
  let cmd: string[];
  try {
    // Chromium's child processes rewrite their title: the arguments are then joined by spaces, not NULs
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return 'gone';
  }
  const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return cmd[0]?.includes('chrom') ? 'browser' : 'other';
  if (type === 'utility') return cmd.some((a) => a.includes('NetworkService')) ? 'network service' : 'utility';
  return type;
}

const machineBusy = () => machine().busy / TICK;

type Snapshot = { procs: Map<number, Proc & { role: string; main: number }>; bench: number; server: number; machine: number };

function snapshot(benchPid: number, serverPid: number): Snapshot {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => readProc(Number(d)) ?? []);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const procs: Snapshot['procs'] = new Map();
  // the browser's processes: every descendant of the bench's Node process but the server
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (c.pid === serverPid) continue;
      const r = role(c.pid);
      procs.set(c.pid, { ...c, role: r, main: r === 'renderer' ? threadCpu(c.pid, c.pid) : 0 });
      walk(c.pid);
    }
  };
  walk(benchPid);
  return { procs, bench: readProc(benchPid)?.cpu ?? 0, server: readProc(serverPid)?.cpu ?? 0, machine: machineBusy() };
}

/**
 * CPU seconds by process during a stretch of the run: the server, the browser's processes by role (the renderer's main
 * thread apart), the bench's own Node process (Playwright, its CDP relay, the latency worker) and the rest of the
 * machine (the light hosts' sshd and shells, anyone else). A process that exits before the end is not counted.
 */
export function processCpuMeter(benchPid: number, serverPid: number): () => [string, number][] {
  const a = snapshot(benchPid, serverPid);
  return () => {
    const b = snapshot(benchPid, serverPid);
    const byRole = new Map<string, number>();
    let main = 0;
    for (const [pid, p] of b.procs) {
      const before = a.procs.get(pid);
      byRole.set(p.role, (byRole.get(p.role) ?? 0) + p.cpu - (before?.cpu ?? 0));
      main += p.main - (before?.main ?? 0);
    }
    const rows: [string, number][] = [
      ['server', b.server - a.server],
      ['bench (Node: Playwright, CDP relay, probe results)', b.bench - a.bench],
      ['Chromium renderer, main thread', main],
      ['Chromium renderer, other threads (compositor, raster, IO)', (byRole.get('renderer') ?? 0) - main],
      ...[...byRole].filter(([r]) => r !== 'renderer').sort((x, y) => y[1] - x[1]).map(([r, s]): [string, number] => [`Chromium ${r}`, s]),
    ];
    const counted = rows.reduce((s, [, v]) => s + v, 0);
    return [...rows, ['rest of the machine (light hosts, others)', b.machine - a.machine - counted], ['machine busy, all cores', b.machine - a.machine]];
  };
}
