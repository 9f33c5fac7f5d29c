import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbFile } from '../../server/db/client';
import { exited, REPO_ROOT } from '../support/server-process';
import { Refusal } from './checks';

export type Dashboard = { url: string; pid: number; logFile: string; exited: Promise<unknown>; stop: () => Promise<void> };

const PASSWORD_FILE = 'demo-admin-password';

/**
 * The admin password: KUBEXMS_ADMIN_PASSWORD, else the one the demo generated for this data dir (kept there, 0600,
 * so a second run can print it again), else a new one for a fresh data dir.
 */
export function demoPassword(dataDir: string): string {
  const given = process.env.KUBEXMS_ADMIN_PASSWORD;
  if (given) return given;
  const file = join(dataDir, PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(dbFile(dataDir))) {
    throw new Refusal(`${dataDir} has an admin whose password the demo does not know: set KUBEXMS_ADMIN_PASSWORD to it, or delete ${dataDir}`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = crypto.randomBytes(15).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The production server (one process) on HOST:PORT with the demo's data dir; its output goes to <dataDir>/server.log. */
export async function startDashboard(opts: { dataDir: string; host: string; port: number; password: string; signal: AbortSignal }): Promise<Dashboard> {
  const logFile = join(opts.dataDir, 'server.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOST: opts.host,
      PORT: String(opts.port),
      KUBEXMS_DATA_DIR: opts.dataDir,
      KUBEXMS_ADMIN_PASSWORD: opts.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.pipe(log, { end: false });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited(proc);
      clearTimeout(killer);
    }
    log.end();
  };
  let head = '';
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`the dashboard did not start: ${why}\n${head.slice(-3000)}\n(full log: ${logFile})`));
    const timer = setTimeout(() => fail('no "listening" line within 90 s'), 90_000);
    const onAbort = () => fail('stopped');
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const onData = (b: Buffer) => {
      head += b.toString();
      const m = /listening on http:\/\/[^:\s]+:(\d+)/.exec(head);
      if (!m) return;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      proc.stdout?.off('data', onData);
      resolve(Number(m[1]));
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (b: Buffer) => (head = (head + b.toString()).slice(-20_000)));
    proc.once('exit', (code) => fail(`it exited with ${code}`));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url: `http://${opts.host}:${port}`, pid: proc.pid ?? 0, logFile, exited: exited(proc), stop };
}
