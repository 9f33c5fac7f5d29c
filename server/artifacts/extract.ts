import { spawn } from 'node:child_process';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, normalize } from 'node:path';
import { ArtifactError, type ArtifactRef } from './types';

/** Extract the listed members of a .tar.gz into dir (replacing it); returns basename → extracted path. */
export async function extractMembers(ref: ArtifactRef, archive: string, dir: string, members: readonly string[], signal?: AbortSignal): Promise<Record<string, string>> {
  for (const m of members) {
    if (m.startsWith('/') || normalize(m).split('/').includes('..')) throw new ArtifactError(ref, `unsafe archive member ${m}`);
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await runTar(ref, ['-xzf', archive, '-C', tmp, '--no-same-owner', '--', ...members], signal);
    const files: Record<string, string> = {};
    for (const m of members) {
      const st = await stat(join(tmp, m)).catch(() => null);
      if (!st?.isFile()) throw new ArtifactError(ref, `${ref.filename} has no file ${m}`);
      await chmod(join(tmp, m), 0o755);
      files[basename(m)] = join(dir, m);
    }
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return files;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function runTar(ref: ArtifactRef, args: string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('error', (e) => {
      const cancelled = signal?.aborted === true;
      reject(new ArtifactError(ref, cancelled ? `extraction of ${ref.filename} cancelled` : `cannot run tar: ${e.message}`, { kind: cancelled ? 'cancelled' : 'command', cause: e }));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new ArtifactError(ref, `tar could not extract ${ref.filename} (exit ${code}): ${stderr.trim()}`));
    });
  });
}
