import type { RunWatchResult } from '../../contracts/run-socket';
import type { Db } from '../../db/client';
import { readRunRow, toRunInfo } from '../../db/runs';
import { notFound } from '../../errors';
import { readEventsAfter, readRunSnapshot } from './read-run';

export const REPLAY_MAX = 5000;

/** The answer to run:watch: the events missed since afterSeq, or a snapshot when none was given or too much was missed. */
export function watchRun(db: Db, runId: number, afterSeq?: number): RunWatchResult {
  if (afterSeq !== undefined) {
    const row = readRunRow(db, runId);
    if (!row) throw notFound(`run #${runId}`);
    if (afterSeq <= row.lastSeq && row.lastSeq - afterSeq <= REPLAY_MAX) {
      const events = readEventsAfter(db, runId, afterSeq, REPLAY_MAX);
      return { ok: true, mode: 'replay', run: toRunInfo(row), events, seq: row.lastSeq };
    }
  }
  return { ok: true, mode: 'snapshot', snapshot: readRunSnapshot(db, runId) };
}
