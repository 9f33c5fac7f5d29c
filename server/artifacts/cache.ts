import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadVerified, sha256File } from './download';
import { extractMembers } from './extract';
import { withFileLock } from './lock';
import { resolveArtifact } from './resolve';
import type { ArtifactRef } from './types';

export type EnsureArtifactOptions = {
  dataDir: string;
  component: string;
  version: string;
  arch: string;
  /** spec.artifacts.mirror */
  mirror?: string;
  signal?: AbortSignal;
  /** whole-download timeout; default 15 min */
  timeoutMs?: number;
};

export type EnsuredArtifact = {
  /** the verified downloaded file */
  path: string;
  sha256: string;
  /** extracted file name (basename) → local path; for a single binary or manifest: its name → path */
  files: Record<string, string>;
  ref: ArtifactRef;
};

type Marker = { sha256: string; size: number; mtimeMs: number; files: Record<string, string> };

const inflight = new Map<string, Promise<EnsuredArtifact>>();

/** Resolve, download once into dataDir/artifacts, verify and extract. Safe to call concurrently, across processes too. */
export async function ensureArtifact(options: EnsureArtifactOptions): Promise<EnsuredArtifact> {
  const ref = await resolveArtifact(options, { signal: options.signal });
  const dir = join(options.dataDir, 'artifacts', ref.component, ref.version, ref.arch);
  const key = `${dir}\0${ref.sha256}\0${ref.url}`;
  let job = inflight.get(key);
  if (!job) {
    job = ensureResolved(ref, dir, options).finally(() => inflight.delete(key));
    inflight.set(key, job);
  }
  return job;
}

async function ensureResolved(ref: ArtifactRef, dir: string, options: EnsureArtifactOptions): Promise<EnsuredArtifact> {
  const path = join(dir, ref.filename);
  const markerPath = join(dir, `ready-${ref.sha256.slice(0, 16)}.json`);
  const ready = await readMarker(markerPath, path, ref.sha256);
  if (ready) return { path, sha256: ref.sha256, files: ready.files, ref };
  await mkdir(dir, { recursive: true });
  return withFileLock(
    join(dir, '.lock'),
    async () => {
      const again = await readMarker(markerPath, path, ref.sha256);
      if (again) return { path, sha256: ref.sha256, files: again.files, ref };
      const have = await stat(path).then(() => sha256File(path), () => null);
      if (have !== ref.sha256) await downloadVerified(ref, path, options);
      const files = await unpack(ref, path, join(dir, `files-${ref.sha256.slice(0, 16)}`), options.signal);
      const st = await stat(path);
      const marker: Marker = { sha256: ref.sha256, size: st.size, mtimeMs: st.mtimeMs, files };
      await writeFile(`${markerPath}.tmp`, JSON.stringify(marker));
      await rename(`${markerPath}.tmp`, markerPath);
      return { path, sha256: ref.sha256, files, ref };
    },
    options.signal,
  );
}

async function unpack(ref: ArtifactRef, path: string, filesDir: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const layout = ref.layout;
  if (layout.kind === 'tar') return extractMembers(ref, path, filesDir, layout.members, signal);
  await chmod(path, layout.kind === 'binary' ? 0o755 : 0o644);
  return { [layout.name]: path };
}

/** The marker is trusted only while the downloaded file keeps its size and mtime and every extracted file exists. */
async function readMarker(markerPath: string, path: string, sha256: string): Promise<Marker | null> {
  try {
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as Marker;
    const st = await stat(path);
    if (marker.sha256 !== sha256 || marker.size !== st.size || marker.mtimeMs !== st.mtimeMs) return null;
    for (const file of Object.values(marker.files)) await stat(file);
    return marker;
  } catch {
    return null;
  }
}
