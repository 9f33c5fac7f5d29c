import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ConnectorError } from './connector';
import type { Connector, ExecOptions, ExecResult, UploadOptions, UploadResult } from './connector';
import { raw, sh } from './shell-quote';

const KILL_GRACE_MS = 2000;
const isRoot = () => process.getuid?.() === 0;
const tail = (text: string, max = 2000) => (text.length > max ? text.slice(-max) : text);

type Spawned = { exitCode: number | null; signal: string | null; stdout: Buffer; stderr: Buffer };

function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function spawnShell(command: string, options: ExecOptions, decode: boolean): Promise<Spawned> {
  const { signal, stdin, onStdout, onStderr, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(new ConnectorError('cancelled', 'cancelled before start'));
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stopped: ConnectorError | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: ConnectorError) => {
      if (stopped) return;
      stopped = reason;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => stop(new ConnectorError('cancelled', 'command cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs ? setTimeout(() => stop(new ConnectorError('timeout', `command timed out after ${timeoutMs} ms`)), timeoutMs) : undefined;
    const outDecoder = new TextDecoder();
    const errDecoder = new TextDecoder();
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (decode && onStdout) onStdout(outDecoder.decode(chunk, { stream: true }));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (onStderr) onStderr(errDecoder.decode(chunk, { stream: true }));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? undefined);
    const cleanup = () => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e) => {
      cleanup();
      reject(new ConnectorError('internal', `cannot start sh: ${e.message}`, { cause: e }));
    });
    child.on('close', (code, sig) => {
      cleanup();
      if (decode && onStdout) {
        const rest = outDecoder.decode();
        if (rest) onStdout(rest);
      }
      const rest = errDecoder.decode();
      if (rest && onStderr) onStderr(rest);
      const stderr = Buffer.concat(err);
      if (stopped) {
        reject(new ConnectorError(stopped.kind, stopped.message, { exitCode: code, stderrTail: tail(stderr.toString('utf8')) }));
        return;
      }
      resolve({ exitCode: code, signal: sig, stdout: Buffer.concat(out), stderr });
    });
  });
}

function withSudo(command: string, sudo: boolean | undefined): string {
  return sudo && !isRoot() ? sh`sudo -n -- sh -c ${command}` : command;
}

async function sha256File(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return null;
  }
}

/** Runs commands on the control node itself. */
export class LocalConnector implements Connector {
  readonly target = 'local';

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const res = await spawnShell(withSudo(command, options.sudo), options, true);
    return { exitCode: res.exitCode, signal: res.signal, stdout: res.stdout.toString('utf8'), stderr: res.stderr.toString('utf8') };
  }

  private async mustRun(command: string, options: ExecOptions): Promise<Spawned> {
    const res = await spawnShell(withSudo(command, options.sudo), options, false);
    if (res.exitCode !== 0) {
      const stderrTail = tail(res.stderr.toString('utf8'));
      throw new ConnectorError('command', `command failed (exit ${res.exitCode}): ${stderrTail.trim()}`, { exitCode: res.exitCode, stderrTail });
    }
    return res;
  }

  async upload(source: Buffer | string | { path: string }, remotePath: string, options: UploadOptions = {}): Promise<UploadResult> {
    const data = typeof source === 'string' ? Buffer.from(source) : Buffer.isBuffer(source) ? source : await readFile(source.path);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const needsInstall = options.owner !== undefined || options.group !== undefined || (options.sudo === true && !isRoot());
    const mode = (options.mode ?? 0o644).toString(8);
    if ((await sha256File(remotePath)) === sha256) {
      const fixup = fixupCommand(remotePath, options);
      if (fixup !== null) await this.mustRun(fixup, options);
      return { skipped: true, sha256, bytes: data.length };
    }
    if (!needsInstall) {
      const tmp = join(dirname(remotePath), `.${basename(remotePath)}.kxms-${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(tmp, data, { mode: options.mode ?? 0o644, flag: 'wx' });
        await chmod(tmp, options.mode ?? 0o644);
        await rename(tmp, remotePath);
      } catch (e) {
        await rm(tmp, { force: true });
        throw new ConnectorError('command', `cannot write ${remotePath}: ${(e as Error).message}`, { cause: e });
      }
      return { skipped: false, sha256, bytes: data.length };
    }
    const dir = await mkdtemp(join(tmpdir(), 'kxms-upload-'));
    try {
      const tmp = join(dir, 'data');
      await writeFile(tmp, data, { mode: 0o600 });
      await this.mustRun(sh`install -m ${mode}${raw(installArgs(options))} ${tmp} ${remotePath}`, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { skipped: false, sha256, bytes: data.length };
  }

  async download(remotePath: string, options: { signal?: AbortSignal; sudo?: boolean } = {}): Promise<Buffer> {
    if (options.sudo && !isRoot()) return (await this.mustRun(sh`cat -- ${remotePath}`, options)).stdout;
    try {
      await stat(remotePath);
      return await readFile(remotePath);
    } catch (e) {
      throw new ConnectorError('command', `cannot read ${remotePath}: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {}
}

function ownerSpec(options: UploadOptions): string | null {
  if (options.owner === undefined && options.group === undefined) return null;
  return `${options.owner ?? ''}${options.group !== undefined ? `:${options.group}` : ''}`;
}

function installArgs(options: UploadOptions): string {
  return `${options.owner !== undefined ? sh` -o ${options.owner}` : ''}${options.group !== undefined ? sh` -g ${options.group}` : ''}`;
}

function fixupCommand(path: string, options: UploadOptions): string | null {
  const owner = ownerSpec(options);
  const parts = [
    options.mode !== undefined ? sh`chmod ${options.mode.toString(8)} ${path}` : null,
    owner !== null ? sh`chown ${owner} ${path}` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' && ') : null;
}
