import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import { ConnectorError } from './connector';
import type { ExecOptions, UploadOptions, UploadResult } from './connector';
import type { RawResult } from './ssh-channel';
import { ensureSuccess } from './ssh-errors';
import { raw, sh } from './shell-quote';

export type FileOps = {
  run(command: string, options: ExecOptions): Promise<RawResult>;
  withSftp<T>(fn: (sftp: SFTPWrapper) => Promise<T>, signal?: AbortSignal): Promise<T>;
  where: string;
  isRoot: boolean;
};

type Source = Buffer | string | { path: string };
const CHUNK = 32 * 1024;
const PARALLEL = 32;

async function describeSource(source: Source): Promise<{ sha256: string; bytes: number; data: Buffer | null; path: string | null }> {
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    const data = typeof source === 'string' ? Buffer.from(source) : source;
    return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, data, path: null };
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(source.path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(source.path)).size, data: null, path: source.path };
}

function ownerArgs(options: UploadOptions): string {
  return `${options.owner !== undefined ? sh` -o ${options.owner}` : ''}${options.group !== undefined ? sh` -g ${options.group}` : ''}`;
}

function fixup(options: UploadOptions): string {
  const owner = options.owner !== undefined || options.group !== undefined ? `${options.owner ?? ''}${options.group !== undefined ? `:${options.group}` : ''}` : null;
  return [options.mode !== undefined ? sh`chmod ${options.mode.toString(8)} "$f"` : null, owner !== null ? sh`chown ${owner} "$f"` : null, 'echo kxms-same']
    .filter((p) => p !== null)
    .join(' && ');
}

const call = <T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

async function writeBuffer(sftp: SFTPWrapper, path: string, data: Buffer, signal?: AbortSignal): Promise<void> {
  const handle = await call<Buffer>((cb) => sftp.open(path, 'wx', { mode: 0o600 }, cb));
  try {
    let next = 0;
    const worker = async () => {
      while (next < data.length) {
        if (signal?.aborted) throw new ConnectorError('cancelled', 'upload cancelled');
        const offset = next;
        next += CHUNK;
        const length = Math.min(CHUNK, data.length - offset);
        await call<void>((cb) => sftp.write(handle, data, offset, length, offset, (err) => cb(err, undefined)));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => {});
  }
}

/** SFTP to a 0600 temp file in /tmp, then `install` into place (with sudo when asked); skipped when the sha256 already matches. */
export async function uploadFile(ops: FileOps, source: Source, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
  const src = await describeSource(source);
  const run = (command: string) => ops.run(command, { sudo: options.sudo, signal: options.signal });
  const check = await run(sh`f=${remotePath}; if [ -f "$f" ] && [ "$(sha256sum < "$f" 2>/dev/null | cut -c1-64)" = ${src.sha256} ]; then ${raw(fixup(options))}; fi`);
  if (check.stdout.toString().includes('kxms-same')) return { skipped: true, sha256: src.sha256, bytes: src.bytes };
  ensureSuccess(check, `setting mode/owner of ${remotePath} on ${ops.where}`);

  const tmp = `/tmp/kxms-upload-${randomBytes(8).toString('hex')}`;
  try {
    await ops.withSftp(async (sftp) => {
      if (src.data) await writeBuffer(sftp, tmp, src.data, options.signal);
      else await call<void>((cb) => sftp.fastPut(src.path!, tmp, { mode: 0o600, concurrency: PARALLEL, chunkSize: CHUNK }, (err) => cb(err, undefined)));
    }, options.signal);
  } catch (e) {
    await ops.run(sh`rm -f ${tmp}`, {}).catch(() => {});
    if (e instanceof ConnectorError) throw e;
    throw new ConnectorError('command', `SFTP upload to ${tmp} on ${ops.where} failed: ${(e as Error).message}`, { cause: e });
  }
  const mode = (options.mode ?? 0o644).toString(8);
  const install = await run(
    sh`t=${tmp}; if [ "$(sha256sum < "$t" | cut -c1-64)" != ${src.sha256} ]; then rm -f "$t"; echo "the uploaded file arrived corrupted (sha256 mismatch)" >&2; exit 97; fi; ` +
      sh`install -D -m ${mode}${raw(ownerArgs(options))} -- "$t" ${remotePath}; rc=$?; rm -f "$t"; exit $rc`,
  ).catch(async (e: unknown) => {
    await ops.run(sh`rm -f ${tmp}`, {}).catch(() => {});
    throw e;
  });
  ensureSuccess(install, `installing ${remotePath} on ${ops.where}`);
  return { skipped: false, sha256: src.sha256, bytes: src.bytes };
}

export async function downloadFile(ops: FileOps, remotePath: string, options: { signal?: AbortSignal; sudo?: boolean } = {}): Promise<Buffer> {
  if (options.sudo && !ops.isRoot) {
    const res = await ops.run(sh`cat -- ${remotePath}`, { sudo: true, signal: options.signal });
    return ensureSuccess(res, `reading ${remotePath} on ${ops.where}`).stdout;
  }
  return ops.withSftp(async (sftp) => {
    try {
      return await call<Buffer>((cb) => sftp.readFile(remotePath, cb));
    } catch (e) {
      throw new ConnectorError('command', `cannot read ${remotePath} on ${ops.where}: ${(e as Error).message}`, { cause: e });
    }
  }, options.signal);
}
