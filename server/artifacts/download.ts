import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetchError, httpGet } from './http';
import { ArtifactError, type ArtifactRef } from './types';

export const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

/** Download ref.url to dest through a temp file; the file appears at dest only when its sha256 matches. */
export async function downloadVerified(ref: ArtifactRef, dest: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
  const opts = { signal: options.signal, timeoutMs: options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS };
  const tmp = `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
  const hash = createHash('sha256');
  try {
    const res = await httpGet(ref, ref.url, opts);
    if (!res.body) throw new ArtifactError(ref, `GET ${ref.url} returned no body`);
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), hasher, createWriteStream(tmp, { mode: 0o644 }));
    } catch (e) {
      throw e instanceof ArtifactError ? e : fetchError(ref, ref.url, e, opts);
    }
    const actual = hash.digest('hex');
    if (actual !== ref.sha256) {
      throw new ArtifactError(
        ref,
        `sha256 mismatch for ${ref.component} ${ref.version} (${ref.arch}) from ${ref.url}: expected ${ref.sha256}, got ${actual}; the download was deleted`,
      );
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
