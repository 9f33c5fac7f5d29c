import { STEP_TRANSITIONS } from '../contracts/status';
import type { StepStatus } from '../contracts/status';
import type { Failure } from './errors';
import type { RunEmitter } from './events';
import { StatusBox } from './status';
import type { LogStream } from './types';

export type CellIds = { moduleId: string; taskId: string; stepId: string };

/** One step on one host: its status, timings and log lines. */
export class Cell {
  readonly status: StatusBox<StepStatus>;
  startedAt: number | null = null;
  endedAt: number | null = null;
  attempt = 0;
  failure: Failure | null = null;
  #partial: Record<LogStream, string> = { stdout: '', stderr: '', system: '' };

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
    const wasRunning = this.status.value === 'running';
    this.status.to(status);
    this.failure = failure;
    if (wasRunning) this.endedAt = Date.now();
    this.#emit(failure);
  }

  log(text: string, stream: LogStream): void {
    if (!this.open) return;
    const lines = (this.#partial[stream] + text).split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.#line(line, stream);
  }

  flushLog(): void {
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      if (this.#partial[stream] !== '') this.#line(this.#partial[stream], stream);
      this.#partial[stream] = '';
    }
  }

  #line(text: string, stream: LogStream) {
    this.emitter.emit({ type: 'log', host: this.host, taskId: this.ids.taskId, stepId: this.ids.stepId, stream, text });
  }

  #emit(failure: Failure | null) {
    this.emitter.emit({
      type: 'step.status',
      ...this.ids,
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
