import { canTransition } from '../contracts/status';
import { EngineInternalError } from './errors';

type Table<S extends string> = Readonly<Record<S, readonly S[]>>;

/** The one guarded way the engine changes a status: an illegal transition is a bug and throws. */
export class StatusBox<S extends string> {
  #status: S;
  constructor(
    private readonly table: Table<S>,
    initial: S,
    private readonly label: string,
  ) {
    this.#status = initial;
  }

  get value(): S {
    return this.#status;
  }

  to(next: S): void {
    assertTransition(this.table, this.#status, next, this.label);
    this.#status = next;
  }
}

export function assertTransition<S extends string>(table: Table<S>, from: S, to: S, label = 'status'): void {
  if (!canTransition(table, from, to)) throw new EngineInternalError(`illegal ${label} transition ${from} → ${to}`);
}
