import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, REPO_ROOT, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';

const preload = fileURLToPath(new URL('./live-preload.ts', import.meta.url));

/** The real server (production build, server/index.ts) on a free port, with the bench pipeline preloaded. */
export async function startLiveServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const dataDir = tempDataDir('kx-bench-live-');
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--import', preload, 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: '0', KUBEXMS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    proc.stdout.on('data', () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve(Number(m[1]));
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
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
