import { fileURLToPath } from 'node:url';
import { startServer, tempDataDir, type ServerProcess } from '../../e2e/support/server-process';

const preload = fileURLToPath(new URL('./live-preload.ts', import.meta.url));

/** The real server (production build, server/index.ts) on a free port, with the bench pipeline preloaded. */
export function startLiveServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  return startServer({ dataDir: tempDataDir('kx-bench-live-'), env, nodeArgs, preload: [preload], timeoutMs: 90_000 });
}
