import type { Connector, ExecResult } from '../connectors/connector';
import type { Cell } from './cell';
import { StepError, tailLines } from './errors';
import type { RunEnv } from './run-env';
import { hostCache } from './run-env';
import type { Host, HostContext, HostExecOptions } from './types';

function describe(command: string, label: string | undefined): string {
  if (label) return label;
  const first = command.split('\n', 1)[0] ?? '';
  const short = first.length > 160 ? `${first.slice(0, 160)}…` : first;
  return command.includes('\n') ? `${short} …` : short;
}

export function createHostContext<Spec, HostData>(
  env: RunEnv<Spec, HostData>,
  host: Host<HostData>,
  connector: Connector,
  cell: Cell,
  signal: AbortSignal,
): HostContext<Spec, HostData> {
  const exec = async (command: string, options: HostExecOptions = {}): Promise<ExecResult> => {
    const { quiet, label, onStdout, onStderr } = options;
    if (!quiet) cell.log(`$ ${describe(command, label)}\n`, 'system');
    return connector.exec(command, {
      stdin: options.stdin,
      sudo: options.sudo,
      timeoutMs: options.timeoutMs,
      signal,
      onStdout: (chunk) => {
        if (!quiet) cell.log(chunk, 'stdout');
        onStdout?.(chunk);
      },
      onStderr: (chunk) => {
        if (!quiet) cell.log(chunk, 'stderr');
        onStderr?.(chunk);
      },
    });
  };
  const run = async (command: string, options: HostExecOptions = {}): Promise<ExecResult> => {
    const res = await exec(command, options);
    if (res.exitCode === 0 || (res.exitCode !== null && options.okExitCodes?.includes(res.exitCode))) return res;
    const stderrTail = tailLines(res.stderr);
    const lastLine = stderrTail.trim().split('\n').pop() ?? '';
    const how = res.exitCode !== null ? `exit code ${res.exitCode}` : `signal ${res.signal ?? 'unknown'}`;
    throw new StepError('command', `${describe(command, options.label)} failed with ${how}${lastLine ? `: ${lastLine}` : ''}`, {
      exitCode: res.exitCode,
      stderrTail,
    });
  };
  return {
    runId: env.runId,
    host,
    runtime: env.runtime,
    connector,
    signal,
    cache: hostCache(env, host.name),
    stepId: cell.ids.stepId,
    attempt: cell.attempt,
    exec,
    run,
    sudo: (command, options = {}) => run(command, { ...options, sudo: true }),
    upload: (source, remotePath, options = {}) => {
      cell.log(`upload ${remotePath}\n`, 'system');
      return connector.upload(source, remotePath, { ...options, signal });
    },
    download: (remotePath, options = {}) => connector.download(remotePath, { ...options, signal }),
    log: (line, stream = 'system') => cell.log(line.endsWith('\n') ? line : `${line}\n`, stream),
  };
}
