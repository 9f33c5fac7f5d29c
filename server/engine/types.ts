import type { RunCache } from './cache';
import type { Connector, ExecOptions, ExecResult, UploadOptions, UploadResult } from '../connectors/connector';

export type Logger = {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
};

export type Host<Data = unknown> = {
  name: string;
  address: string;
  roles: readonly string[];
  labels?: Readonly<Record<string, string>>;
  data?: Data;
};

export type ClusterRuntime<Spec = unknown, HostData = unknown> = {
  spec: Spec;
  hosts: readonly Host<HostData>[];
  logger: Logger;
  /** shared by every step of one pipeline run (e.g. generated PKI) */
  cache: RunCache;
};

export type LogStream = 'stdout' | 'stderr' | 'system';

export type HostExecOptions = Omit<ExecOptions, 'signal'> & {
  /** do not stream this command's output into the run log (secrets, noisy probes) */
  quiet?: boolean;
  /** shown instead of the command line in logs and errors */
  label?: string;
  /** exit codes that ctx.run accepts besides 0 */
  okExitCodes?: readonly number[];
};

export type HostContext<Spec = unknown, HostData = unknown> = {
  readonly runId: string;
  readonly host: Host<HostData>;
  readonly runtime: ClusterRuntime<Spec, HostData>;
  readonly connector: Connector;
  /** aborted on user cancel and on this step's timeout; pass it to anything long */
  readonly signal: AbortSignal;
  /** per host, lives for the whole run */
  readonly cache: RunCache;
  readonly stepId: string;
  readonly attempt: number;
  /** resolves with the result whatever the exit code; throws only for connection-level failures */
  exec(command: string, options?: HostExecOptions): Promise<ExecResult>;
  /** like exec, but a non-zero exit throws StepError kind 'command' with the exit code and stderr tail */
  run(command: string, options?: HostExecOptions): Promise<ExecResult>;
  /** run with sudo */
  sudo(command: string, options?: HostExecOptions): Promise<ExecResult>;
  upload(source: Buffer | string | { path: string }, remotePath: string, options?: Omit<UploadOptions, 'signal'>): Promise<UploadResult>;
  download(remotePath: string, options?: { sudo?: boolean }): Promise<Buffer>;
  log(line: string, stream?: LogStream): void;
};

export type Step<Spec = unknown, HostData = unknown> = {
  name: string;
  /** true = already done on this host → the step is skipped */
  check(ctx: HostContext<Spec, HostData>): Promise<boolean>;
  run(ctx: HostContext<Spec, HostData>): Promise<void>;
  /** extra attempts after a failure (check then run again) */
  retries?: number;
  retryDelayMs?: number;
  /** per attempt */
  timeoutMs?: number;
};

export type Task<Spec = unknown, HostData = unknown> = {
  name: string;
  steps: readonly Step<Spec, HostData>[];
  /** empty or absent = every host */
  runOnRoles?: readonly string[];
  filter?(host: Host<HostData>): boolean;
  ignoreError?: boolean;
  /** hosts in flight at once; default 10 */
  concurrency?: number;
};

export type Module<Spec = unknown, HostData = unknown> = {
  name: string;
  tasks: readonly Task<Spec, HostData>[];
};

export type Pipeline<Spec = unknown, HostData = unknown> = {
  name: string;
  modules: readonly Module<Spec, HostData>[];
};

export type ConnectorFactory<HostData = unknown> = (host: Host<HostData>) => Connector | Promise<Connector>;
