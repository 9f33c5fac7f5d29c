import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Mirror = {
  url: string;
  /** request paths in arrival order (for tests that count downloads) */
  requests: string[];
  close(): Promise<void>;
};

/** A static file server for dir on 127.0.0.1, on a free port. GET/HEAD only; nothing outside dir is served. */
export async function startMirror(dir: string, options: { delayMs?: number } = {}): Promise<Mirror> {
  const root = resolve(dir);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = resolve(join(root, path));
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(root + sep)) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    const serve = () => stat(file).then(
      (st) => {
        if (!st.isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-length': st.size, 'content-type': 'application/octet-stream' });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file).on('error', () => res.destroy()).pipe(res);
      },
      () => void res.writeHead(404).end(),
    );
    // a slow mirror lets tests overlap downloads
    if (options.delayMs && !path.endsWith('/SHA256SUMS')) setTimeout(serve, options.delayMs);
    else void serve();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const BUILD = join(dirname(fileURLToPath(import.meta.url)), 'build.sh');

/** Build the Debian-based mirror (cached by package versions); returns its directory. */
export function buildMirror(signal?: AbortSignal): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn('bash', [BUILD], { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const dir = out.trim().split('\n').at(-1);
      if (code === 0 && dir) ok(dir);
      else fail(new Error(`e2e/mirror/build.sh failed (exit ${code}): ${err.trim()}`));
    });
  });
}

/** For tests and fixtures: build the mirror if needed, then serve it on 127.0.0.1. */
export async function ensureMirror(signal?: AbortSignal): Promise<Mirror & { dir: string }> {
  const dir = await buildMirror(signal);
  return { ...(await startMirror(dir)), dir };
}
