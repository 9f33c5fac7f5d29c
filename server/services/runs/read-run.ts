import type { Db } from '../../db/client';
import type { RunEvent } from '../../contracts/run-events';
import { RunPlan, type RunLogLine, type RunSnapshot } from '../../contracts/run-types';
import { readCells, readRunRow, toRunInfo } from '../../db/runs';
import { notFound } from '../../errors';

export const LOG_TAIL = 300;

type LogRow = { seq: number; host: string | null; task_id: string | null; step_id: string | null; stream: RunLogLine['stream']; text: string; ts: number };
type EventRow = { seq: number; type: string; payload: string; ts: number };

export function logRowToLine(r: LogRow): RunLogLine {
  return { seq: r.seq, host: r.host, stepId: r.step_id, stream: r.stream, text: r.text, ts: r.ts };
}

/** Run row, plan, cells, log tail and seq, read in one synchronous go (no write can interleave). */
export function readRunSnapshot(db: Db, runId: number): RunSnapshot {
  const row = readRunRow(db, runId);
  if (!row) throw notFound(`run #${runId}`);
  const plan = RunPlan.safeParse(row.plan);
  const tail = db.$client
    .prepare('select seq, host, task_id, step_id, stream, text, ts from run_logs where run_id = ? order by seq desc limit ?')
    .all(runId, LOG_TAIL) as LogRow[];
  return { run: toRunInfo(row), plan: plan.success ? plan.data : null, cells: readCells(db, runId), logTail: tail.reverse().map(logRowToLine), seq: row.lastSeq };
}

/** Events with afterSeq < seq <= lastSeq in order, from run_events and run_logs (which share one seq space). */
export function readEventsAfter(db: Db, runId: number, afterSeq: number, limit: number): RunEvent[] {
  const events = db.$client.prepare('select seq, type, payload, ts from run_events where run_id = ? and seq > ? order by seq limit ?').all(runId, afterSeq, limit) as EventRow[];
  const logs = db.$client
    .prepare('select seq, host, task_id, step_id, stream, text, ts from run_logs where run_id = ? and seq > ? order by seq limit ?')
    .all(runId, afterSeq, limit) as LogRow[];
  const out: RunEvent[] = [
    ...events.map((e) => ({ ...(JSON.parse(e.payload) as object), type: e.type, runId, seq: e.seq, ts: e.ts }) as RunEvent),
    ...logs.map((l): RunEvent => ({ type: 'log', runId, seq: l.seq, ts: l.ts, host: l.host, taskId: l.task_id, stepId: l.step_id, stream: l.stream, text: l.text })),
  ];
  return out.sort((a, b) => a.seq - b.seq).slice(0, limit);
}
