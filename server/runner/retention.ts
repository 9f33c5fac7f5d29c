import type { Db } from '../db/client';
import { EnvError } from '../env';

export type RetentionPolicy = {
  /** keep the newest N runs per cluster (runs of deleted clusters count as one group); null = no limit */
  keepPerCluster: number | null;
  /** delete finished runs older than this; null = no limit */
  maxAgeMs: number | null;
  /** rows per delete transaction */
  batchRows: number;
};

const DAY = 24 * 60 * 60 * 1000;

export function retentionFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RetentionPolicy {
  const num = (name: string, fallback: number | null): number | null => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new EnvError(`${name} must be a whole number >= 0 (0 = no limit), got "${raw}"`);
    return n === 0 ? null : n;
  };
  const days = num('KUBEXMS_RUNS_MAX_AGE_DAYS', null);
  return { keepPerCluster: num('KUBEXMS_RUNS_KEEP', 500), maxAgeMs: days === null ? null : days * DAY, batchRows: 500 };
}

const FINISHED = `status not in ('queued', 'running')`;
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Deletes runs past the policy a few hundred rows per transaction, yielding between them, so runs in progress are never held up. */
export class Retention {
  #running: Promise<number> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly db: Db,
    private readonly policy: RetentionPolicy,
  ) {}

  /** Ends a sweep in progress at its next batch boundary; no sweep starts afterwards. */
  stop(): void {
    this.#stopped = true;
  }

  /** Starts a sweep unless one is running (then one more follows it); never rejects. */
  schedule(): Promise<number> {
    if (this.#stopped) return Promise.resolve(0);
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#sweep()
      .catch((err: unknown) => {
        console.error('retention sweep failed', err);
        return 0;
      })
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          void this.schedule();
        }
      });
    return this.#running;
  }

  expiredRunIds(now = Date.now()): number[] {
    const sqlite = this.db.$client;
    const ids = new Set<number>();
    const { keepPerCluster: keep, maxAgeMs } = this.policy;
    if (keep !== null) {
      const groups = sqlite.prepare('select distinct cluster_id as c from runs').all() as { c: number | null }[];
      for (const { c } of groups) {
        const where = c === null ? 'cluster_id is null' : 'cluster_id = ?';
        const rows = sqlite.prepare(`select id from runs where ${where} and ${FINISHED} order by id desc limit -1 offset ?`).all(...(c === null ? [keep] : [c, keep]));
        for (const r of rows as { id: number }[]) ids.add(r.id);
      }
    }
    if (maxAgeMs !== null) {
      const rows = sqlite.prepare(`select id from runs where created_at < ? and ${FINISHED}`).all(now - maxAgeMs) as { id: number }[];
      for (const r of rows) ids.add(r.id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  async #sweep(): Promise<number> {
    if (this.policy.keepPerCluster === null && this.policy.maxAgeMs === null) return 0;
    let deleted = 0;
    for (const runId of this.expiredRunIds()) {
      if (this.#stopped) break;
      if (await this.#deleteRun(runId)) deleted += 1;
    }
    return deleted;
  }

  async #deleteRun(runId: number): Promise<boolean> {
    const sqlite = this.db.$client;
    const n = this.policy.batchRows;
    for (const table of ['run_logs', 'run_events'] as const) {
      const del = sqlite.prepare(`delete from ${table} where run_id = ? and seq in (select seq from ${table} where run_id = ? order by seq limit ?)`);
      while (!this.#stopped && del.run(runId, runId, n).changes > 0) await nextTurn();
    }
    const cells = sqlite.prepare('delete from run_cells where rowid in (select rowid from run_cells where run_id = ? limit ?)');
    while (!this.#stopped && cells.run(runId, n).changes > 0) await nextTurn();
    if (this.#stopped) return false;
    return sqlite.prepare(`delete from runs where id = ? and ${FINISHED}`).run(runId).changes > 0;
  }
}
