import type Database from 'better-sqlite3';
import type { LogEvent, RunEvent } from '../contracts/run-events';
import type { RunCell, RunSummary } from '../contracts/run-types';
import type { RunStatus } from '../contracts/status';
import type { Db } from '../db/client';

export type RunRowUpdate = { lastSeq: number; summary: RunSummary; status?: RunStatus; statusReason?: string | null; startedAt?: number; endedAt?: number };

type Statements = {
  event: Database.Statement;
  log: Database.Statement;
  cell: Database.Statement;
  run: Database.Statement;
};

const cache = new WeakMap<Database.Database, Statements>();

function statements(sqlite: Database.Database): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      event: sqlite.prepare('insert into run_events (run_id, seq, type, payload, ts) values (?, ?, ?, ?, ?)'),
      log: sqlite.prepare('insert into run_logs (run_id, seq, host, task_id, step_id, stream, text, ts) values (?, ?, ?, ?, ?, ?, ?, ?)'),
      cell: sqlite.prepare(
        `insert into run_cells (run_id, step_id, host, status, attempts, started_at, ended_at, exit_code, error_kind, error_message, stderr_tail, seq)
         values (@runId, @stepId, @host, @status, @attempts, @startedAt, @endedAt, @exitCode, @errorKind, @errorMessage, @stderrTail, @seq)
         on conflict (run_id, step_id, host) do update set status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
           ended_at = excluded.ended_at, exit_code = excluded.exit_code, error_kind = excluded.error_kind, error_message = excluded.error_message,
           stderr_tail = excluded.stderr_tail, seq = excluded.seq`,
      ),
      run: sqlite.prepare(
        `update runs set last_seq = @lastSeq, summary = @summary,
           status = coalesce(@status, status),
           status_reason = case when @setReason then @statusReason else status_reason end,
           started_at = coalesce(started_at, @startedAt),
           ended_at = coalesce(@endedAt, ended_at)
         where id = @id`,
      ),
    };
    cache.set(sqlite, s);
  }
  return s;
}

/** Strips what run_events keeps in columns. */
export function eventPayload(e: RunEvent): Record<string, unknown> {
  const { runId: _r, seq: _s, ts: _t, type: _y, ...rest } = e;
  return rest;
}

/** One transaction: events, log lines, changed cells and the run row. */
export function writeBatch(db: Db, runId: number, events: readonly RunEvent[], cells: Iterable<RunCell>, run: RunRowUpdate): void {
  const sqlite = db.$client;
  const st = statements(sqlite);
  sqlite.transaction(() => {
    for (const e of events) {
      if (e.type === 'log') {
        const l: LogEvent = e;
        st.log.run(runId, l.seq, l.host, l.taskId, l.stepId, l.stream, l.text, l.ts);
      } else st.event.run(runId, e.seq, e.type, JSON.stringify(eventPayload(e)), e.ts);
    }
    for (const c of cells) st.cell.run({ runId, ...c });
    st.run.run({
      id: runId,
      lastSeq: run.lastSeq,
      summary: JSON.stringify(run.summary),
      status: run.status ?? null,
      setReason: run.statusReason === undefined ? 0 : 1,
      statusReason: run.statusReason ?? null,
      startedAt: run.startedAt ?? null,
      endedAt: run.endedAt ?? null,
    });
  })();
}
