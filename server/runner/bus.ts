import type { RunEvent } from '../contracts/run-events';

export type RunBusListener = {
  /** called after the events are committed to SQLite */
  events?(runId: number, events: readonly RunEvent[]): void;
  /** a run was created, changed status or its counters moved */
  changed?(runId: number): void;
};

/** Recorder → realtime: the runner starts before socket.io exists, so realtime subscribes later. */
export class RunBus {
  readonly #listeners = new Set<RunBusListener>();

  subscribe(listener: RunBusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  events(runId: number, events: readonly RunEvent[]): void {
    for (const l of this.#listeners) safely(() => l.events?.(runId, events));
  }

  changed(runId: number): void {
    for (const l of this.#listeners) safely(() => l.changed?.(runId));
  }
}

function safely(fn: () => void) {
  try {
    fn();
  } catch (err) {
    console.error('run bus listener threw', err);
  }
}
