export type QueuedJob = { runId: number; /** host identity (address:port) → host name in this run */ hosts: ReadonlyMap<string, string> };
export type Waiting<J> = { job: J; reason: string };

/** FIFO queue with per-host locks: a run starts when none of its hosts is held by a running run or wanted by an earlier queued run. */
export class HostQueue<J extends QueuedJob> {
  readonly #queue: J[] = [];
  readonly #held = new Map<string, number>();

  get queued(): readonly J[] {
    return this.#queue;
  }

  holderOf(identity: string): number | undefined {
    return this.#held.get(identity);
  }

  /** Runs that hold or wait for any of these host identities, with the host names they share. */
  busy(hosts: ReadonlyMap<string, string>): Array<{ runId: number; hosts: string[] }> {
    const by = new Map<number, string[]>();
    const add = (runId: number, name: string) => by.set(runId, [...(by.get(runId) ?? []), name]);
    for (const [identity, name] of hosts) {
      const holder = this.#held.get(identity);
      if (holder !== undefined) add(holder, name);
      for (const job of this.#queue) if (job.hosts.has(identity)) add(job.runId, name);
    }
    return [...by].map(([runId, names]) => ({ runId, hosts: names.sort() }));
  }

  enqueue(job: J): void {
    this.#queue.push(job);
  }

  remove(runId: number): J | undefined {
    const i = this.#queue.findIndex((j) => j.runId === runId);
    return i < 0 ? undefined : this.#queue.splice(i, 1)[0];
  }

  release(runId: number): void {
    for (const [id, holder] of this.#held) if (holder === runId) this.#held.delete(id);
  }

  /** Takes every job that can start now (their hosts become held) and says why each other job waits. */
  schedule(): { start: J[]; waiting: Waiting<J>[] } {
    const claimed = new Map(this.#held);
    const start: J[] = [];
    const waiting: Waiting<J>[] = [];
    for (const job of [...this.#queue]) {
      const blockers = new Map<number, string[]>();
      for (const [identity, name] of job.hosts) {
        const by = claimed.get(identity);
        if (by !== undefined) blockers.set(by, [...(blockers.get(by) ?? []), name]);
      }
      for (const identity of job.hosts.keys()) if (!claimed.has(identity)) claimed.set(identity, job.runId);
      if (blockers.size === 0) {
        this.remove(job.runId);
        for (const identity of job.hosts.keys()) this.#held.set(identity, job.runId);
        start.push(job);
      } else {
        const parts = [...blockers].map(([runId, names]) => `run #${runId} on ${names.sort().join(', ')}`);
        waiting.push({ job, reason: `waiting for ${parts.join('; ')}` });
      }
    }
    return { start, waiting };
  }
}

export const hostIdentity = (address: string, port: number) => `${address.toLowerCase()}:${port}`;
