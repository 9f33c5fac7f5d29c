import { KindedError } from '../connectors/connector';
import type { RunFailure } from '../contracts/run-events';

export type Failure = RunFailure;

/** A step's own failure; throw it from steps for domain failures (kind 'command' unless a better one fits). */
export class StepError extends KindedError {}

/** A bug in the engine or its use (e.g. an illegal status transition). */
export class EngineInternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInternalError';
  }
}

export function toFailure(err: unknown): Failure {
  if (err instanceof KindedError) {
    return { kind: err.kind, message: err.message, exitCode: err.exitCode, stderrTail: err.stderrTail };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: message || 'unknown error', exitCode: null, stderrTail: '' };
}

export function tailLines(text: string, lines = 20, chars = 2000): string {
  const cut = text.split('\n').slice(-lines - 1).join('\n');
  return cut.length > chars ? cut.slice(-chars) : cut;
}
