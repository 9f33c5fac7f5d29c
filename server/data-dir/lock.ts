import fs from 'node:fs';
import path from 'node:path';

/** Who drives runs on a data dir: the server, or a CLI running the runner in-process. One at a time. */
export type LockOwner = { pid: number; kind: 'server' | 'cli'; startTime: string | null; at: number };
export type ServerFile = { url: string; pid: number; startTime: string | null; version: string };

export const lockPath = (dataDir: string) => path.join(dataDir, 'runner.lock');
export const serverFilePath = (dataDir: string) => path.join(dataDir, 'server.json');
export const cliTokenPath = (dataDir: string) => path.join(dataDir, 'cli-token');

/** Field 22 of /proc/<pid>/stat: tells a live owner from a reused pid. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isAlive(owner: { pid: number; startTime: string | null }): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return owner.startTime === null || processStartTime(owner.pid) === owner.startTime;
}

function readJson<T>(file: string): { raw: string; value: T } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    return { raw, value: JSON.parse(raw) as T };
  } catch {
    return null;
  }
}

export function readLockOwner(dataDir: string): LockOwner | null {
  const found = readJson<LockOwner>(lockPath(dataDir));
  return found && typeof found.value.pid === 'number' && isAlive(found.value) ? found.value : null;
}

/** `previous`: the dead process whose lock was taken over; the runs it left queued or running were driven by it. */
export type RunnerLock = { release: () => void; previous: LockOwner | null };

/** Takes the data dir's runner lock, or returns the live owner holding it. A lock left by a dead process is taken over. */
export function acquireRunnerLock(dataDir: string, kind: LockOwner['kind']): { lock: RunnerLock } | { heldBy: LockOwner } {
  const file = lockPath(dataDir);
  const me: LockOwner = { pid: process.pid, kind, startTime: processStartTime(process.pid), at: Date.now() };
  let previous: LockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return { lock: { release: () => removeIfOwned(file, process.pid), previous } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const found = readJson<LockOwner>(file);
    if (found && typeof found.value.pid === 'number' && isAlive(found.value)) return { heldBy: found.value };
    // Stale: remove it only if it is still the file we judged.
    const again = readJson<LockOwner>(file);
    if (!found || again?.raw === found.raw) fs.rmSync(file, { force: true });
    if (found && typeof found.value.pid === 'number') previous = found.value;
  }
  throw new Error(`cannot take ${file}: another process keeps replacing it`);
}

function removeIfOwned(file: string, pid: number): void {
  if (readJson<{ pid: number }>(file)?.value.pid === pid) fs.rmSync(file, { force: true });
}

/** The running server of a data dir, from the server.json it writes at start; null when none runs. */
export function readServerFile(dataDir: string): ServerFile | null {
  const found = readJson<ServerFile>(serverFilePath(dataDir));
  if (!found || typeof found.value.url !== 'string' || typeof found.value.pid !== 'number') return null;
  return isAlive(found.value) ? found.value : null;
}

export function writeFileAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

export function removeServerFiles(dataDir: string): void {
  const file = serverFilePath(dataDir);
  if (readJson<{ pid: number }>(file)?.value.pid === process.pid) fs.rmSync(file, { force: true });
}

/** Whether a lock file is left by a process that is gone (its runs still marked running are orphans). */
export function hasStaleLock(dataDir: string): boolean {
  const found = readJson<LockOwner>(lockPath(dataDir));
  return found !== null && !(typeof found.value.pid === 'number' && isAlive(found.value));
}

/** Why the runs a dead lock holder left are interrupted, naming that process. */
export function interruptedReasons(previous: LockOwner | null): { running: string; queued: string } | undefined {
  if (!previous) return undefined;
  const who = previous.kind === 'cli' ? `the kubexms CLI process (pid ${previous.pid}) that ran it in-process` : `the kubexms server (pid ${previous.pid})`;
  return { running: `${who} ended while this run was running`, queued: `${who} ended before this run started` };
}
