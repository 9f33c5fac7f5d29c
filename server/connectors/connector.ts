import type { FailureKind } from '../contracts/status';

export type ExecOptions = {
  signal?: AbortSignal;
  stdin?: string | Buffer;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** run through sudo (the connector knows the user and the sudo password, if any) */
  sudo?: boolean;
  timeoutMs?: number;
};

export type ExecResult = {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
};

export type UploadOptions = {
  mode?: number;
  owner?: string;
  group?: string;
  /** root-owned destination: upload to a temp path, then `install` into place with sudo */
  sudo?: boolean;
  signal?: AbortSignal;
};

export type UploadResult = { skipped: boolean; sha256: string; bytes: number };

/** One connection attempt under way: what a step waiting for its host shows. `givesUpAt` is the latest the last attempt can end (epoch ms). */
export type ConnectProgress = { attempt: number; attempts: number; givesUpAt: number; previousError: string | null };

export type Connector = {
  readonly target: string;
  /** Connectors that connect lazily report each attempt while a command waits for the connection, then null once connected. */
  onConnecting?(listener: (progress: ConnectProgress | null) => void): () => void;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  upload(source: Buffer | string | { path: string }, remotePath: string, options?: UploadOptions): Promise<UploadResult>;
  download(remotePath: string, options?: { signal?: AbortSignal; sudo?: boolean }): Promise<Buffer>;
  close(): Promise<void>;
};

export type FailureExtra = { exitCode?: number | null; stderrTail?: string; cause?: unknown };

/** A failure with a kind, the exit code and the stderr tail: what the grid shows for a failed cell. */
export class KindedError extends Error {
  readonly kind: FailureKind;
  readonly exitCode: number | null;
  readonly stderrTail: string;
  constructor(kind: FailureKind, message: string, extra: FailureExtra = {}) {
    super(message, { cause: extra.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.exitCode = extra.exitCode ?? null;
    this.stderrTail = extra.stderrTail ?? '';
  }
}

/** Every failure that reaches the engine from a connector carries a kind and a message a user can act on. */
export class ConnectorError extends KindedError {}
