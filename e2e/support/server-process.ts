import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export type ServerProcess = {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; resolves with the exit code */
  stop: () => Promise<number | null>;
  /** SIGKILL and wait */
  kill: () => Promise<void>;
};

export function tempDataDir(prefix = 'kubexms-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

/** The server entry with the 'test:*' pipelines registered (the product's entry has none). */
export const TEST_SERVER_ENTRY = 'server/runner/testing/test-server.ts';

/** Starts the real server (one process, production build) on a free port with its own data dir; no status run after each run unless env asks. */
export async function startServer(
  opts: { dataDir?: string; env?: Record<string, string>; timeoutMs?: number; nodeArgs?: string[]; preload?: string[]; testPipelines?: boolean } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const preload = (opts.preload ?? []).flatMap((m) => ['--import', m]);
  const entry = opts.testPipelines ? TEST_SERVER_ENTRY : 'server/index.ts';
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', ...preload, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: '0', KUBEXMS_DATA_DIR: dataDir, KUBEXMS_STATUS_AFTER_RUN: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), opts.timeoutMs ?? 60_000);
    const onData = () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    proc,
    output: () => out,
    stop: async () => {
      proc.kill('SIGTERM');
      return exited(proc);
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited(proc);
    },
  };
}

/** Runs the server entry expecting it to fail at start; returns its exit code and output. */
export async function startServerExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const code = await exited(proc);
  return { code, output };
}
