import { issueCliSession } from '../auth/cli-token';
import type { Db } from '../db/client';
import { EnvError } from '../env';
import { acquireRunnerLock, cliTokenPath, interruptedReasons, processStartTime, removeServerFiles, serverFilePath, writeFileAtomic, type ServerFile } from './lock';

export type ServerLink = {
  /** once listening: writes server.json and the CLI token so a CLI on this data dir goes through this server */
  publish: (deps: { db: Db; host: string; port: number; version: string }) => void;
  close: () => void;
  /** why the runs a dead previous holder of the data dir left are interrupted (undefined: no such holder known) */
  interruptedReasons: { running: string; queued: string } | undefined;
};

/** The URL a local CLI reaches a server listening on host:port with. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `http://[::1]:${port}`;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** Call before the runner recovers runs: refuses to start while a CLI runs a job in-process on this data dir (or another server holds it). */
export function claimDataDir(dataDir: string): ServerLink {
  const got = acquireRunnerLock(dataDir, 'server');
  if ('heldBy' in got) {
    const who = got.heldBy.kind === 'cli' ? `a kubexms CLI (pid ${got.heldBy.pid}) is running a job in-process on` : `another kubexms server (pid ${got.heldBy.pid}) uses`;
    throw new EnvError(`${who} ${dataDir}; start the server once it has ended`);
  }
  let token: { stop: () => void } | null = null;
  return {
    interruptedReasons: interruptedReasons(got.lock.previous),
    publish: ({ db, host, port, version }) => {
      token = issueCliSession(db, cliTokenPath(dataDir));
      const info: ServerFile = { url: localUrl(host, port), pid: process.pid, startTime: processStartTime(process.pid), version };
      writeFileAtomic(serverFilePath(dataDir), `${JSON.stringify(info)}\n`, 0o600);
    },
    close: () => {
      removeServerFiles(dataDir);
      token?.stop();
      token = null;
      got.lock.release();
    },
  };
}
