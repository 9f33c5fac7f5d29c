import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend } from './backend';
import type { OpenLocalBackend } from './local-backend';
import { acquireRunnerLock, hasStaleLock, interruptedReasons, readLockOwner, readServerFile, type LockOwner, type ServerFile } from '../data-dir/lock';
import { CliError } from './errors';

/** none: reads and cluster edits; run: starts runs (needs the runner); cancel: stops a run wherever it is driven. */
export type Need = 'none' | 'run' | 'cancel';
export type OpenOptions = { dataDir: string; need: Need; log: (line: string) => void; serverWaitMs?: number };

export function resolveDataDir(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.KUBEXMS_DATA_DIR ?? './data');
}

async function remote(dataDir: string, server: ServerFile): Promise<Backend> {
  const { openRemoteBackend } = await import('./remote-backend');
  return openRemoteBackend(dataDir, server);
}

async function waitForServer(dataDir: string, owner: LockOwner, ms: number): Promise<ServerFile | null> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    const server = readServerFile(dataDir);
    if (server) return server;
    if (readLockOwner(dataDir)?.pid !== owner.pid) return null;
  }
  return null;
}

function interruptCli(owner: LockOwner) {
  return () => {
    process.kill(owner.pid, 'SIGINT');
    return { status: 'cancelling' as const };
  };
}

/** A reader that finds the runner lock left by a dead process takes it for a moment to mark that process's runs interrupted. */
async function openReader(dataDir: string, log: (line: string) => void, open: OpenLocalBackend): Promise<Backend> {
  const got = hasStaleLock(dataDir) ? acquireRunnerLock(dataDir, 'cli') : null;
  if (!got || 'heldBy' in got) return open({ dataDir, withRunner: false, log });
  try {
    return await open({ dataDir, withRunner: false, log, recover: { reasons: interruptedReasons(got.lock.previous) } });
  } finally {
    got.lock.release();
  }
}

/**
 * One writer per data dir: when a server runs there (server.json, live pid) everything goes through its API, so a run
 * shows live in its dashboard and its per-host locks hold. Else the CLI takes the data dir's runner lock and runs the
 * runner itself on the same SQLite, secret box and recorder; the run lands in the same history.
 */
export async function openBackend(opts: OpenOptions): Promise<Backend> {
  const dataDir = path.resolve(opts.dataDir);
  const server = readServerFile(dataDir);
  if (server) return remote(dataDir, server);
  if (process.env.KUBEXMS_TOKEN) opts.log(`KUBEXMS_TOKEN is not used: no kubexms server runs on ${dataDir}, so the CLI works on the data dir itself`);
  const { openLocalBackend } = await import('./local-backend');
  if (opts.need === 'none') return openReader(dataDir, opts.log, openLocalBackend);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const got = acquireRunnerLock(dataDir, 'cli');
  if ('heldBy' in got) {
    const owner = got.heldBy;
    if (owner.kind === 'server') {
      const started = await waitForServer(dataDir, owner, opts.serverWaitMs ?? 60_000);
      if (started) return remote(dataDir, started);
      throw new CliError(`a kubexms server (pid ${owner.pid}) holds ${dataDir} but does not answer yet; try again when it is up`);
    }
    if (opts.need === 'cancel') return openLocalBackend({ dataDir, withRunner: false, log: opts.log, cancelElsewhere: interruptCli(owner) });
    throw new CliError(
      `another kubexms CLI (pid ${owner.pid}) is running a job in-process on ${dataDir}; wait for it to end, or start the server (npm start) so runs queue there with per-host locks`,
    );
  }
  try {
    const backend = await openLocalBackend({ dataDir, withRunner: true, log: opts.log, recover: { reasons: interruptedReasons(got.lock.previous) } });
    return {
      ...backend,
      close: async () => {
        try {
          await backend.close();
        } finally {
          got.lock.release();
        }
      },
    };
  } catch (err) {
    got.lock.release();
    throw err;
  }
}
