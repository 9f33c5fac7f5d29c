import { STEP_TRANSITIONS } from '../contracts/status';
import type { StepStatus } from '../contracts/status';
import type { ConnectProgress } from '../connectors/connector';
import type { Failure } from './errors';
import type { RunEmitter } from './events';
import { StatusBox } from './status';
import type { LogStream } from './types';

export type CellIds = { moduleId: string; taskId: string; stepId: string };

/** Longest log line kept (characters). Past it the line is cut: its first MAX_LOG_LINE characters are stored with a note of how many were dropped, so a command that prints without newlines cannot fill the memory. */
export const MAX_LOG_LINE = 1 << 20;

/** One step on one host: its status, timings and log lines. */
export class Cell {
  readonly status: StatusBox<StepStatus>;
  startedAt: number | null = null;
  endedAt: number | null = null;
  attempt = 0;
  failure: Failure | null = null;
  #partial: Record<LogStream, string> = { stdout: '', stderr: '', system: '' };
  #dropped: Record<LogStream, number> = { stdout: 0, stderr: 0, system: 0 };
  #connecting = false;

  constructor(
    private readonly emitter: RunEmitter,
    readonly ids: CellIds,
    readonly step: string,
    readonly host: string,
  ) {
    this.status = new StatusBox(STEP_TRANSITIONS, 'pending', `step ${ids.stepId}@${host}`);
  }

  get open(): boolean {
    return this.status.value === 'pending' || this.status.value === 'running';
  }

  start(): void {
    this.status.to('running');
    this.startedAt = Date.now();
    this.attempt = 1;
    this.#emit(null);
  }

  finish(status: Exclude<StepStatus, 'pending' | 'running'>, failure: Failure | null = null): void {
    this.flushLog();
    this.#connecting = false;
    const wasRunning = this.status.value === 'running';
    this.status.to(status);
    this.failure = failure;
    if (wasRunning) this.endedAt = Date.now();
    this.#emit(failure);
  }

  /** The host's connection is being made while this step waits for it (null: connected). */
  connecting(progress: ConnectProgress | null): void {
    if (!this.open || (progress === null && !this.#connecting)) return;
    this.#connecting = progress !== null;
    if (progress?.previousError) this.log(`connecting: attempt ${progress.attempt - 1} of ${progress.attempts} failed (${progress.previousError}); trying again\n`, 'system');
    this.emitter.emit({ type: 'step.connecting', moduleId: this.ids.moduleId, taskId: this.ids.taskId, stepId: this.ids.stepId, host: this.host, connecting: progress });
  }

  log(text: string, stream: LogStream): void {
    if (!this.open) return;
    let rest = text;
    for (;;) {
      const nl = rest.indexOf('\n');
      this.#append(nl === -1 ? rest : rest.slice(0, nl), stream);
      if (nl === -1) return;
      this.#endLine(stream);
      rest = rest.slice(nl + 1);
    }
  }

  flushLog(): void {
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      if (this.#partial[stream] !== '' || this.#dropped[stream] > 0) this.#endLine(stream);
    }
  }

  #append(piece: string, stream: LogStream) {
    const room = MAX_LOG_LINE - this.#partial[stream].length;
    if (piece.length <= room) {
      this.#partial[stream] += piece;
      return;
    }
    this.#partial[stream] += piece.slice(0, Math.max(0, room));
    this.#dropped[stream] += piece.length - Math.max(0, room);
  }

  #endLine(stream: LogStream) {
    const dropped = this.#dropped[stream];
    this.#line(dropped > 0 ? `${this.#partial[stream]} [kubexms: line cut at ${MAX_LOG_LINE} characters, ${dropped} more dropped]` : this.#partial[stream], stream);
    this.#partial[stream] = '';
    this.#dropped[stream] = 0;
  }

  #line(text: string, stream: LogStream) {
    this.emitter.emit({ type: 'log', host: this.host, taskId: this.ids.taskId, stepId: this.ids.stepId, stream, text });
  }

  #emit(failure: Failure | null) {
    this.emitter.emit({
      type: 'step.status',
      moduleId: this.ids.moduleId,
      taskId: this.ids.taskId,
      stepId: this.ids.stepId,
      step: this.step,
      host: this.host,
      status: this.status.value,
      attempt: this.attempt,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      exitCode: failure?.exitCode ?? null,
      failure,
    });
  }
}
