import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { etcdBackupSchedules } from '../../db/schema';

type Starter = { start: (input: { clusterId: number; pipeline: string; createdBy: string }) => Promise<{ runId: number }> };
type Log = (message: string) => void;

/** Due schedules get an ordinary etcdBackup run (created by "schedule"); the start is recorded first, so a failing start waits a full period. */
export async function startDueBackups(db: Db, runner: Starter, now: number, log: Log = () => undefined): Promise<number[]> {
  const due = db
    .select()
    .from(etcdBackupSchedules)
    .where(eq(etcdBackupSchedules.enabled, true))
    .all()
    .filter((s) => s.lastStartedAt === null || now - s.lastStartedAt >= s.everyMinutes * 60_000);
  const started: number[] = [];
  for (const s of due) {
    db.update(etcdBackupSchedules).set({ lastStartedAt: now }).where(eq(etcdBackupSchedules.clusterId, s.clusterId)).run();
    try {
      started.push((await runner.start({ clusterId: s.clusterId, pipeline: 'etcdBackup', createdBy: 'schedule' })).runId);
    } catch (err) {
      log(`scheduled etcd backup of cluster #${s.clusterId} not started: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return started;
}

/** Checks the schedules once a minute while the server runs; returns the stop function. */
export function startBackupScheduler(db: Db, runner: Starter, log: Log, everyMs = 60_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void startDueBackups(db, runner, Date.now(), log).finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
