import { posix } from 'node:path';
import type { UploadResult } from '../connectors/connector';
import { sh } from '../connectors/shell-quote';
import type { HostContext } from '../engine/types';

export type ArtifactUpload = {
  local: string;
  remote: string;
  /** default 0755 (binaries) */
  mode?: number;
  /** root-owned destination (default true) */
  sudo?: boolean;
};

export type ArtifactUploadResult = UploadResult & { remote: string };

/** Put local artifact files on the host; files already there with the same sha256 are skipped by the connector. */
export async function uploadArtifactFiles(ctx: HostContext, files: readonly ArtifactUpload[]): Promise<ArtifactUploadResult[]> {
  const dirs = [...new Set(files.map((f) => posix.dirname(f.remote)))];
  if (dirs.length > 0) await ctx.sudo(sh`mkdir -p -- ${dirs}`, { label: `mkdir -p ${dirs.join(' ')}` });
  const results: ArtifactUploadResult[] = [];
  for (const f of files) {
    ctx.signal.throwIfAborted();
    const r = await ctx.upload({ path: f.local }, f.remote, { mode: f.mode ?? 0o755, sudo: f.sudo ?? true });
    ctx.log(`${f.remote}: ${r.skipped ? 'already up to date' : `uploaded ${r.bytes} bytes`} (sha256 ${r.sha256.slice(0, 12)})`, 'system');
    results.push({ ...r, remote: f.remote });
  }
  return results;
}
