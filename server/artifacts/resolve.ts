import { httpGet } from './http';
import { TABLE, knownVersions, tableChecksum } from './table';
import { ARCHES, ArtifactError, COMPONENTS, bareVersion, isArch, isComponent, type ArtifactRef } from './types';

export type ResolveInput = { component: string; version: string; arch: string; mirror?: string };

const SUMS_TIMEOUT_MS = 30_000;
const SUMS_MAX_BYTES = 1 << 20;

/**
 * Trust model. The built-in table wins: a version it lists is fetched (from the mirror when one is set, else from the
 * official URL) and must match the table's sha256, so a mirror cannot substitute a build. A version the table does not
 * list is accepted only from the mirror the user configured, with the sha256 from that mirror's SHA256SUMS. Anything
 * else is refused before any download.
 */
export async function resolveArtifact(input: ResolveInput, options: { signal?: AbortSignal } = {}): Promise<ArtifactRef> {
  const base = baseRef(input);
  if (base.sha256 !== '') return base;
  if (!input.mirror) throw unknownVersion(base, null);
  const sumsUrl = `${trimSlash(input.mirror)}/SHA256SUMS`;
  const sums = parseSha256Sums(await fetchSums(base, sumsUrl, options.signal));
  const sha = sums.get(mirrorPath(base));
  if (!sha) throw unknownVersion(base, sumsUrl);
  return { ...base, sha256: sha, trust: 'mirror' };
}

/** Table-only resolution, no network: for checks before a run touches any host. Throws ArtifactError when unknown. */
export function resolveFromTable(input: Omit<ResolveInput, 'mirror'>): ArtifactRef {
  const ref = baseRef(input);
  if (ref.sha256 === '') throw unknownVersion(ref, null);
  return ref;
}

function baseRef(input: ResolveInput): ArtifactRef {
  const { component, arch } = input;
  const bare = bareVersion(input.version);
  const version = `v${bare}`;
  const where = { component, version, arch };
  if (!isComponent(component)) throw new ArtifactError(where, `unknown artifact component "${component}" (known: ${COMPONENTS.join(', ')})`);
  if (!isArch(arch)) throw new ArtifactError(where, `${component} ${version}: unsupported architecture "${arch}" (supported: ${ARCHES.join(', ')})`);
  if (!/^\d+(\.\d+){1,3}([-+][0-9A-Za-z.-]+)?$/.test(bare)) throw new ArtifactError(where, `${component}: invalid version "${input.version}"`);
  const info = TABLE[component];
  const official = info.url(bare, arch);
  const filename = official.slice(official.lastIndexOf('/') + 1);
  const path = `${component}/${version}/${arch}/${filename}`;
  const url = input.mirror ? `${trimSlash(input.mirror)}/${path}` : official;
  const sha256 = tableChecksum(component, bare, arch) ?? '';
  return { component, version, arch, url, filename, sha256, trust: 'table', layout: info.layout(bare, arch) };
}

export function mirrorPath(ref: Pick<ArtifactRef, 'component' | 'version' | 'arch' | 'filename'>): string {
  return `${ref.component}/${ref.version}/${ref.arch}/${ref.filename}`;
}

/** sha256sum output ("<hex>  <path>" or "<hex> *<path>") → path → sha256 */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trimEnd());
    if (m?.[1] && m[2]) out.set(m[2].replace(/^\.\//, ''), m[1].toLowerCase());
  }
  return out;
}

async function fetchSums(ref: ArtifactRef, url: string, signal?: AbortSignal): Promise<string> {
  const res = await httpGet(ref, url, { signal, timeoutMs: SUMS_TIMEOUT_MS });
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > SUMS_MAX_BYTES) throw new ArtifactError(ref, `mirror checksum list ${url} is larger than ${SUMS_MAX_BYTES} bytes`);
  return body.toString('utf8');
}

function unknownVersion(ref: ArtifactRef, sumsUrl: string | null): ArtifactError {
  const head = `${ref.component} ${ref.version} (${ref.arch}) has no known sha256`;
  const mirror = sumsUrl === null ? '' : ` and the mirror's ${sumsUrl} does not list ${mirrorPath(ref)}`;
  const known = knownVersions(ref.component, ref.arch as (typeof ARCHES)[number]);
  const list = known.length === 0 ? 'none' : known.length <= 8 ? known.join(', ') : `${known[0]} … ${known.at(-1)} (${known.length} versions)`;
  const hint = sumsUrl === null ? '; pick a known version or set spec.artifacts.mirror to a mirror whose SHA256SUMS lists it' : '';
  return new ArtifactError(ref, `${head}${mirror}: refusing an unverifiable download. Known ${ref.component} versions for ${ref.arch}: ${list}${hint}`);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
