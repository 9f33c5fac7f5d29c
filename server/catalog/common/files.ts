import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { sh } from '../../connectors/shell-quote';
import type { HostContext } from '../../engine';

export type RemoteFileState = { exists: boolean; sha256: string | null; mode: number | null };

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256 and permission bits of a regular file (read with sudo: keys are 0600 root). */
export async function remoteFileState(ctx: HostContext, path: string): Promise<RemoteFileState> {
  const res = await ctx.exec(sh`if [ -f ${path} ]; then sha256sum -- ${path} | cut -d ' ' -f 1; stat -c %a -- ${path}; else echo absent; fi`, {
    sudo: true,
    quiet: true,
  });
  const [first = '', second = ''] = res.stdout.trim().split('\n');
  if (res.exitCode !== 0 || first === 'absent' || !/^[0-9a-f]{64}$/.test(first)) return { exists: false, sha256: null, mode: null };
  const mode = Number.parseInt(second.trim(), 8);
  return { exists: true, sha256: first, mode: Number.isNaN(mode) ? null : mode };
}

/** True when the file exists with exactly this content (and this mode, when given). */
export async function fileMatches(ctx: HostContext, path: string, content: string | Buffer, mode?: number): Promise<boolean> {
  const state = await remoteFileState(ctx, path);
  return state.sha256 === sha256Hex(content) && (mode === undefined || state.mode === mode);
}

export type WantedFile = { path: string; content: string | Buffer; mode: number };

/** One round trip: the files that are missing or differ in content or mode. */
export async function filesToWrite<F extends WantedFile>(ctx: HostContext, files: readonly F[]): Promise<F[]> {
  const res = await ctx.exec(sh`for f in ${files.map((f) => f.path)}; do [ -f "$f" ] && printf '%s ' "$(stat -c %a -- "$f")" && sha256sum -- "$f"; done; true`, { sudo: true, quiet: true });
  const seen = new Map<string, string>();
  for (const line of res.stdout.split('\n')) {
    const m = /^([0-7]+) ([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m?.[1] && m[2] && m[3]) seen.set(m[3], `${m[1]} ${m[2]}`);
  }
  return files.filter((f) => seen.get(f.path) !== `${f.mode.toString(8)} ${sha256Hex(f.content)}`);
}

/** Writes the file (creating its directory) unless content and mode already match; returns true when it changed anything. */
export async function writeFileIfChanged(ctx: HostContext, path: string, content: string | Buffer, mode = 0o644): Promise<boolean> {
  const state = await remoteFileState(ctx, path);
  if (state.sha256 === sha256Hex(content)) {
    if (state.mode === mode) return false;
    await ctx.sudo(sh`chmod ${mode.toString(8)} -- ${path}`);
    return true;
  }
  await ctx.sudo(sh`mkdir -p -- ${posix.dirname(path)}`);
  await ctx.upload(Buffer.isBuffer(content) ? content : Buffer.from(content), path, { mode, sudo: true });
  return true;
}

/** Reads a file, or null when it does not exist. */
export async function readRemoteFile(ctx: HostContext, path: string): Promise<string | null> {
  const res = await ctx.exec(sh`if [ -e ${path} ]; then cat -- ${path}; else exit 3; fi`, { sudo: true, quiet: true });
  if (res.exitCode === 3) return null;
  if (res.exitCode !== 0) throw new Error(`cannot read ${path}: ${res.stderr.trim()}`);
  return res.stdout;
}

/** Which of these paths exist (files, dirs or links). */
export async function existingPaths(ctx: HostContext, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const res = await ctx.exec(sh`for p in ${[...paths]}; do if [ -e "$p" ] || [ -L "$p" ]; then printf '%s\n' "$p"; fi; done`, {
    sudo: true,
    quiet: true,
  });
  const found = new Set(res.stdout.split('\n'));
  return paths.filter((p) => found.has(p));
}

/** Removes files and directories recursively; returns what existed before. Refuses '/' and relative paths. */
export async function removePaths(ctx: HostContext, paths: readonly string[]): Promise<string[]> {
  for (const p of paths) {
    if (!p.startsWith('/') || posix.normalize(p) === '/' || p.split('/').includes('..')) throw new Error(`refusing to remove ${JSON.stringify(p)}`);
  }
  const present = await existingPaths(ctx, paths);
  if (present.length > 0) await ctx.sudo(sh`rm -rf -- ${present}`);
  return present;
}
