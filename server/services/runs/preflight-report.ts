import type { PreflightReportRow, RunRef } from '../../contracts/run-api';
import type { Db } from '../../db/client';
import { CHECK_ORDER, CHECK_TITLES, parseLoggedResult } from '../../catalog/preflight/report';
import { readRunRow } from '../../db/runs';
import { notFound } from '../../errors';

/** The hosts × checks table of a run's preflight, read back from the lines its checks logged (the last result per host and check wins). */
export function preflightReport(deps: { db: Db }, input: RunRef): PreflightReportRow[] {
  if (!readRunRow(deps.db, input.runId)) throw notFound(`run #${input.runId}`);
  const lines = deps.db.$client
    .prepare(`select host, text from run_logs where run_id = ? and host is not null and text like 'preflight %' order by seq`)
    .all(input.runId) as { host: string; text: string }[];
  const byCell = new Map<string, PreflightReportRow>();
  for (const l of lines) {
    const r = parseLoggedResult(l.text.trimEnd());
    if (r) byCell.set(`${l.host}|${r.check}`, { host: l.host, check: CHECK_TITLES[r.check], status: r.status, measured: r.measured, expected: r.expected });
  }
  const order = new Map<string, number>(CHECK_ORDER.map((c, i) => [CHECK_TITLES[c], i]));
  return [...byCell.values()].sort((x, y) => (order.get(x.check) ?? 0) - (order.get(y.check) ?? 0));
}
