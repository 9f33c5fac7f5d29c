import type { Db } from '../../db/client';
import type { RunEvent, StepConnectingEvent } from '../../contracts/run-events';
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
  const cells = readCells(db, runId);
  const run = toRunInfo(row);
  const connecting = run.status === 'running' ? stillConnecting(db, runId, cells) : [];
  return { run, plan: plan.success ? plan.data : null, cells, logTail: tail.reverse().map(logRowToLine), seq: row.lastSeq, connecting };
}

/** A running cell whose last event is a connection attempt (nothing since: no status change, not connected yet). */
function stillConnecting(db: Db, runId: number, cells: RunSnapshot['cells']): NonNullable<RunSnapshot['connecting']> {
  const rows = db.$client.prepare("select seq, payload from run_events where run_id = ? and type = 'step.connecting' order by seq").all(runId) as { seq: number; payload: string }[];
  const latest = new Map<string, { seq: number; e: Pick<StepConnectingEvent, 'stepId' | 'host' | 'connecting'> }>();
  for (const r of rows) {
    const e = JSON.parse(r.payload) as Pick<StepConnectingEvent, 'stepId' | 'host' | 'connecting'>;
    latest.set(`${e.stepId}@${e.host}`, { seq: r.seq, e });
  }
  const out: NonNullable<RunSnapshot['connecting']> = [];
  for (const c of cells) {
    const l = latest.get(`${c.stepId}@${c.host}`);
    if (c.status === 'running' && l && l.seq > c.seq && l.e.connecting) out.push({ stepId: c.stepId, host: c.host, connecting: l.e.connecting });
  }
  return out;
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
