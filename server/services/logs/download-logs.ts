import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunLogLine } from '../../contracts/run-types';
import type { Db } from '../../db/client';
import { readCells, readRunRow } from '../../db/runs';
import { logSections, runHeader, type LogSection } from './log-sections';
import { readLogLines, readRunLevelLines } from './page-logs';

const PAGE = 2000;
const ROUTE = /^\/api\/runs\/(\d{1,15})\/logs\.txt$/;

export function formatLogLine(l: RunLogLine): string {
  return `${new Date(l.ts).toISOString()} ${l.host ?? '-'} ${l.stepId ?? '-'} ${l.stream}: ${l.text}\n`;
}

function readSection(db: Db, runId: number, s: LogSection, after: number): RunLogLine[] {
  if (s.stepId === null) return readRunLevelLines(db, { runId, host: s.host ?? undefined }, after, PAGE);
  return readLogLines(db, { runId, host: s.host ?? undefined, stepId: s.stepId }, after, PAGE);
}

/**
 * GET /api/runs/:id/logs.txt?host=&step= → text/plain: a header line for the run, then per step and host (in plan order) a header
 * (module / task / step, host, status, duration, exit code, failure message) and its lines; written page by page with backpressure.
 * Returns false when the URL is not this route.
 */
export function handleLogsDownload(db: Db, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = ROUTE.exec(url.pathname);
  if (!m) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const runId = Number(m[1]);
  const run = readRunRow(db, runId);
  if (!run) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`run #${runId} not found\n`);
    return true;
  }
  const filter = { host: url.searchParams.get('host') || undefined, stepId: url.searchParams.get('step') || undefined };
  const name = `run-${runId}${filter.host ? `-${filter.host}` : ''}${filter.stepId ? `-${filter.stepId}` : ''}.log`.replace(/[^A-Za-z0-9._-]/g, '_');
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const sections = logSections(run, readCells(db, runId), filter);
  let i = -1;
  let after = 0;
  let chunk = `${runHeader(run)}\n`;
  const pump = () => {
    while (!res.destroyed) {
      if (i === -1 || after < 0) {
        i++;
        after = 0;
        const s = sections[i];
        if (!s) return void res.end(chunk);
        chunk += `${s.header}\n`;
      }
      const lines = readSection(db, runId, sections[i]!, after);
      after = lines.length === PAGE ? lines[lines.length - 1]!.seq : -1;
      chunk += lines.map(formatLogLine).join('');
      if (chunk.length < 64 * 1024) continue;
      const ok = res.write(chunk);
      chunk = '';
      if (!ok) return void res.once('drain', pump);
    }
  };
  pump();
  return true;
}
