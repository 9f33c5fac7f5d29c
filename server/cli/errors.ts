import type { FieldError } from '../errors';

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports in a few lines and exits with: 2 for bad input (nothing was run), 1 otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message, EXIT.badInput);
    this.name = 'UsageError';
  }
}

export const badInput = (message: string, details: string[] = []) => new CliError(message, EXIT.badInput, details);

/** A service error (in-process) or the same error carried over tRPC: BAD_REQUEST is bad input, the rest a failure. */
export function fromServiceError(code: string | undefined, message: string, fieldErrors: FieldError[] = []): CliError {
  const details = fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message));
  return new CliError(message, code === 'BAD_REQUEST' ? EXIT.badInput : EXIT.failed, details);
}
