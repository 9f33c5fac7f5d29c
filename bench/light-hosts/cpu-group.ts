import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statFields } from '../lib/cpu-usage';

const V1 = '/sys/fs/cgroup/cpu';
const NAME = 'kubexms-bench-hosts';

function descendants(roots: readonly number[]): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parent.set(Number(d), Number(statFields(`/proc/${d}/stat`)[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!out.has(ppid) || out.has(pid)) continue;
      out.add(pid);
      grew = true;
    }
  }
  return [...out];
}

function move(procsFile: string, pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(procsFile, String(pid));
    } catch {
      // exited meanwhile
    }
  }
}

/**
 * Puts the light hosts' sshd processes (and all they start later) in a cpu cgroup of their own marked idle, so the
 * simulated fleet gets only CPU time nothing else on the machine wants, as remote hosts take none from the machine that
 * runs kubexms and the browser. Nice (the hosts' default) does not do that here: with the kernel's autogroups
 * (`/proc/sys/kernel/sched_autogroup_enabled` = 1) every SSH session and every command it runs is a session, so an
 * autogroup of its own weighing as much as the bench's whole session (server, Chromium, bench), whatever its nice
 * value. Tasks in a cgroup other than the root one are not autogrouped. cgroup v1's cpu hierarchy (this machine) or
 * v2's; returns the undo (the processes back to the root group, the group removed), or null where neither can be
 * written (then the hosts stay as they were, and the caller says so).
 */
export function idleHostGroup(sshdPids: readonly number[]): (() => void) | null {
  const { dir } = where();
  try {
    if (!existsSync(dir)) mkdirSync(dir);
    writeFileSync(join(dir, 'cpu.idle'), '1');
    move(join(dir, 'cgroup.procs'), descendants(sshdPids));
  } catch {
    return null;
  }
  return leaveIdleHostGroup;
}

function where(): { root: string; dir: string } {
  const root = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : V1;
  return { root, dir: join(root, NAME) };
}

/**
 * Everything in the hosts' idle group back to the root group, and the group removed. Also called whenever a scenario
 * takes the light hosts (`ensureHosts`): a live view stopped before its cleanup (Ctrl-C) must not leave running hosts
 * idle for the next scenario, whose figures assume them as they always were.
 */
export function leaveIdleHostGroup(): void {
  const { root, dir } = where();
  if (!existsSync(dir)) return;
  try {
    move(join(root, 'cgroup.procs'), readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
    rmdirSync(dir);
  } catch {
    // processes still arriving or already gone: the group stays, empty or idle, and the next call tries again
  }
}
