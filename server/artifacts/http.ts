import { ArtifactError } from './types';

export type Where = { component: string; version: string; arch: string };

export type GetOptions = { signal?: AbortSignal; timeoutMs: number };

/** GET an http(s) URL; any failure becomes an ArtifactError naming the artifact and the URL. */
export async function httpGet(where: Where, url: string, options: GetOptions): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ArtifactError(where, `invalid artifact URL ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ArtifactError(where, `artifact URL must be http or https: ${url}`);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(parsed, { signal, redirect: 'follow' });
  } catch (e) {
    throw fetchError(where, url, e, options);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new ArtifactError(where, `GET ${url} answered ${res.status} ${res.statusText}`.trimEnd());
  }
  return res;
}

export function fetchError(where: Where, url: string, e: unknown, options: GetOptions): ArtifactError {
  if (options.signal?.aborted) return new ArtifactError(where, `download of ${url} cancelled`, { kind: 'cancelled', cause: e });
  const name = e instanceof Error ? e.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ArtifactError(where, `download of ${url} timed out after ${options.timeoutMs} ms`, { kind: 'timeout', cause: e });
  }
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return new ArtifactError(where, `cannot download ${url}: ${(e as Error).message ?? String(e)}${cause}`, { cause: e });
}
