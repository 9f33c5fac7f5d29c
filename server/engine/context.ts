import type { Connector, ExecResult, UploadOptions, UploadResult } from '../connectors/connector';
import type { Cell } from './cell';
import { StepError, tailLines } from './errors';
import type { RunEnv } from './run-env';
import { hostCache } from './run-env';
import type { Host, HostContext, HostExecOptions, LogStream } from './types';

function describe(command: string, label: string | undefined): string {
  if (label) return label;
  const first = command.split('\n', 1)[0] ?? '';
  const short = first.length > 160 ? `${first.slice(0, 160)}…` : first;
  return command.includes('\n') ? `${short} …` : short;
}

/**
 * What a step sees of its host. A class, not an object of closures: one is made per step attempt, and the per-command
 * path (exec → log) is the hot path of a run.
 */
class StepContext<Spec, HostData> implements HostContext<Spec, HostData> {
  readonly runId: string;
  readonly runtime: HostContext<Spec, HostData>['runtime'];
  readonly cache: HostContext<Spec, HostData>['cache'];
  readonly stepId: string;
  readonly attempt: number;
  private readonly logStdout: (chunk: string) => void;
  private readonly logStderr: (chunk: string) => void;

  constructor(
    env: RunEnv<Spec, HostData>,
    readonly host: Host<HostData>,
    readonly connector: Connector,
    private readonly cell: Cell,
    readonly signal: AbortSignal,
  ) {
    this.runId = env.runId;
    this.runtime = env.runtime;
    this.cache = hostCache(env, host.name);
    this.stepId = cell.ids.stepId;
    this.attempt = cell.attempt;
    this.logStdout = (chunk) => cell.log(chunk, 'stdout');
    this.logStderr = (chunk) => cell.log(chunk, 'stderr');
  }

  exec(command: string, options: HostExecOptions = {}): Promise<ExecResult> {
    const { quiet, label, onStdout, onStderr } = options;
    if (!quiet) this.cell.log(`$ ${describe(command, label)}\n`, 'system');
    return this.connector.exec(command, {
      stdin: options.stdin,
      sudo: options.sudo,
      timeoutMs: options.timeoutMs,
      signal: this.signal,
      onStdout: quiet ? onStdout : withLog(this.logStdout, onStdout),
      onStderr: quiet ? onStderr : withLog(this.logStderr, onStderr),
    });
  }

  async run(command: string, options: HostExecOptions = {}): Promise<ExecResult> {
    const res = await this.exec(command, options);
    if (res.exitCode === 0 || (res.exitCode !== null && options.okExitCodes?.includes(res.exitCode))) return res;
    const stderrTail = tailLines(res.stderr);
    const lastLine = stderrTail.trim().split('\n').pop() ?? '';
    const how = res.exitCode !== null ? `exit code ${res.exitCode}` : `signal ${res.signal ?? 'unknown'}`;
    throw new StepError('command', `${describe(command, options.label)} failed with ${how}${lastLine ? `: ${lastLine}` : ''}`, {
      exitCode: res.exitCode,
      stderrTail,
    });
  }

  sudo(command: string, options: HostExecOptions = {}): Promise<ExecResult> {
    return this.run(command, { ...options, sudo: true });
  }

  upload(source: Buffer | string | { path: string }, remotePath: string, options: Omit<UploadOptions, 'signal'> = {}): Promise<UploadResult> {
    this.cell.log(`upload ${remotePath}\n`, 'system');
    return this.connector.upload(source, remotePath, { ...options, signal: this.signal });
  }

  download(remotePath: string, options: { sudo?: boolean } = {}): Promise<Buffer> {
    return this.connector.download(remotePath, { ...options, signal: this.signal });
  }

  log(line: string, stream: LogStream = 'system'): void {
    this.cell.log(line.endsWith('\n') ? line : `${line}\n`, stream);
  }
}

function withLog(log: (chunk: string) => void, own: ((chunk: string) => void) | undefined): (chunk: string) => void {
  if (!own) return log;
  return (chunk) => {
    log(chunk);
    own(chunk);
  };
}

export function createHostContext<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  host: Host<HostData>,
  connector: Connector,
  cell: Cell,
  signal: AbortSignal,
): HostContext<Spec, HostData> {
  return new StepContext(env, host, connector, cell, signal);
}
