import type { LogsPageInput, LogsPageResult } from '../../contracts/run-api';
import type { RunLogLine } from '../../contracts/run-types';
import type { Db } from '../../db/client';
import { readRunRow } from '../../db/runs';
import { notFound } from '../../errors';
import { logRowToLine } from '../runs/read-run';

type Filter = { runId: number; host?: string | undefined; stepId?: string | undefined };

/** Log lines of a run (optionally one host and/or one step) with seq > afterSeq, in seq order; indexed by (run, host, step, seq) or (run, seq). */
export function readLogLines(db: Db, f: Filter, afterSeq: number, limit: number): RunLogLine[] {
  const where = ['run_id = @runId', 'seq > @afterSeq'];
  if (f.host !== undefined) where.push('host = @host');
  if (f.stepId !== undefined) where.push('step_id = @stepId');
  const rows = db.$client
    .prepare(`select seq, host, task_id, step_id, stream, text, ts from run_logs where ${where.join(' and ')} order by seq limit @limit`)
    .all({ runId: f.runId, afterSeq, limit, host: f.host ?? null, stepId: f.stepId ?? null });
  return (rows as Parameters<typeof logRowToLine>[0][]).map(logRowToLine);
}

/** Lines of no step (run-level system lines), optionally of one host. */
export function readRunLevelLines(db: Db, f: Omit<Filter, 'stepId'>, afterSeq: number, limit: number): RunLogLine[] {
  const rows = db.$client
    .prepare(`select seq, host, task_id, step_id, stream, text, ts from run_logs where run_id = @runId and seq > @afterSeq and step_id is null ${f.host !== undefined ? 'and host = @host' : ''} order by seq limit @limit`)
    .all({ runId: f.runId, afterSeq, limit, host: f.host ?? null });
  return (rows as Parameters<typeof logRowToLine>[0][]).map(logRowToLine);
}

export function pageLogs(deps: { db: Db }, input: LogsPageInput): LogsPageResult {
  const run = readRunRow(deps.db, input.runId);
  if (!run) throw notFound(`run #${input.runId}`);
  const lines = readLogLines(deps.db, input, input.afterSeq, input.limit);
  const last = lines[lines.length - 1]?.seq;
  const ended = run.status !== 'queued' && run.status !== 'running';
  const nextSeq = lines.length === input.limit ? (last ?? null) : ended ? null : Math.max(input.afterSeq, last ?? 0);
  return { lines, nextSeq, runLastSeq: run.lastSeq };
}
