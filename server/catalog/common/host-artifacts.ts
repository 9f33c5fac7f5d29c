import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { sh } from '../../connectors/shell-quote';
import { ArtifactError, ensureArtifact, resolveArtifact, uploadArtifactFiles } from '../../artifacts';
import type { EnsuredArtifact } from '../../artifacts';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { cacheKey, StepError } from '../../engine';
import type { HostContext } from '../../engine';
import { filesToWrite, type WantedFile } from './files';
import { catalogContext, runOnce } from './catalog-context';

export type ArtifactNeed = { component: string; version: string };
export type Placement = { artifact: ArtifactNeed; file: string; remote: string; mode?: number };

const ARCH_KEY = cacheKey<string>('kubexms:arch');
export const MACHINE_ARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64' };

/** The host's architecture as release files name it (cached per host for the run). */
export async function hostArch(ctx: HostContext): Promise<string> {
  const hit = ctx.cache.get(ARCH_KEY);
  if (hit) return hit;
  const machine = (await ctx.run('uname -m', { quiet: true })).stdout.trim();
  const arch = MACHINE_ARCH[machine];
  if (!arch) throw new StepError('command', `${ctx.host.name}: unsupported machine architecture "${machine}"`);
  ctx.cache.set(ARCH_KEY, arch);
  return arch;
}

/** Downloads (once per data dir, verified) the artifact for this host's arch on the control node. */
export async function artifactFor(ctx: HostContext<ClusterSpec>, need: ArtifactNeed): Promise<EnsuredArtifact> {
  const { dataDir } = catalogContext(ctx.runtime);
  const arch = await hostArch(ctx);
  try {
    return await ensureArtifact({ dataDir, component: need.component, version: need.version, arch, mirror: ctx.runtime.spec.artifacts.mirror, signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof ArtifactError)) throw err;
    const prefix = `${need.component} ${need.version} (${arch})`;
    throw new ArtifactError({ component: need.component, version: need.version, arch }, err.message.includes(prefix) ? err.message : `${prefix}: ${err.message}`, { kind: err.kind, cause: err });
  }
}

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('error', reject).on('data', (d) => hash.update(d)).on('end', () => resolve(hash.digest('hex')));
  });
}

async function localFile(ctx: HostContext<ClusterSpec>, p: Placement): Promise<{ path: string; sha256: string }> {
  const art = await artifactFor(ctx, p.artifact);
  const path = art.files[p.file];
  if (!path) throw new StepError('internal', `${p.artifact.component} ${p.artifact.version} has no file "${p.file}" (has: ${Object.keys(art.files).join(', ')})`);
  const sha256 = await runOnce(ctx.runtime, cacheKey<Promise<string>>(`kubexms:sha256:${path}`), () => sha256OfFile(path));
  return { path, sha256 };
}

// one after the other: the first missing artifact is the one reported
async function localFiles(ctx: HostContext<ClusterSpec>, placements: readonly Placement[]) {
  const out: Array<{ path: string; sha256: string }> = [];
  for (const p of placements) out.push(await localFile(ctx, p));
  return out;
}

/** sha256 of each remote path in one round trip (absent or unreadable → missing from the map). */
export async function remoteSha256s(ctx: HostContext, paths: readonly string[]): Promise<Map<string, string>> {
  const res = await ctx.exec(sh`for f in ${[...paths]}; do [ -f "$f" ] && sha256sum -- "$f"; done; true`, { sudo: true, quiet: true });
  const out = new Map<string, string>();
  for (const line of res.stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[2], m[1]);
  }
  return out;
}

export type { WantedFile } from './files';

/** One round trip: every file exists with this content and mode. */
export async function filesMatch(ctx: HostContext, files: readonly WantedFile[]): Promise<boolean> {
  return (await filesToWrite(ctx, files)).length === 0;
}

/** true when every placed file is on the host with the artifact's sha256 */
export async function placementsInPlace(ctx: HostContext<ClusterSpec>, placements: readonly Placement[]): Promise<boolean> {
  const local = await localFiles(ctx, placements);
  const remote = await remoteSha256s(ctx, placements.map((p) => p.remote));
  return placements.every((p, i) => remote.get(p.remote) === local[i]!.sha256);
}

export async function placeFiles(ctx: HostContext<ClusterSpec>, placements: readonly Placement[]): Promise<void> {
  const local = await localFiles(ctx, placements);
  const files = placements.map((p, i) => ({ local: local[i]!.path, remote: p.remote, mode: p.mode ?? 0o755 }));
  await uploadArtifactFiles(ctx, files);
}

/** Resolves every artifact (table, or the mirror's SHA256SUMS) without touching a host: run it before a pipeline starts. */
export async function verifyArtifacts(spec: Pick<ClusterSpec, 'artifacts'>, needs: readonly ArtifactNeed[], options: { arch?: string; signal?: AbortSignal } = {}): Promise<void> {
  for (const need of needs) {
    await resolveArtifact({ ...need, arch: options.arch ?? 'amd64', mirror: spec.artifacts.mirror }, { signal: options.signal });
  }
}
