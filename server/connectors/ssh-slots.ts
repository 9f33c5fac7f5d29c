import { ConnectorError } from './connector';

/** Counting semaphore: OpenSSH refuses channels beyond MaxSessions (10 by default) on one connection. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  /** Waits for a slot; either signal ends the wait. */
  async acquire(signal?: AbortSignal, stopSignal?: AbortSignal): Promise<() => void> {
    if (this.used < this.max) {
      this.used += 1;
      return this.releaser();
    }
    if (signal?.aborted || stopSignal?.aborted) throw new ConnectorError('cancelled', 'command cancelled before it started');
    await new Promise<void>((resolve, reject) => {
      const detach = () => {
        signal?.removeEventListener('abort', onAbort);
        stopSignal?.removeEventListener('abort', onAbort);
      };
      const grant = () => {
        detach();
        resolve();
      };
      const onAbort = () => {
        detach();
        const i = this.waiting.indexOf(grant);
        if (i !== -1) this.waiting.splice(i, 1);
        reject(new ConnectorError('cancelled', 'command cancelled before it started'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      stopSignal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used -= 1;
    };
  }
}
