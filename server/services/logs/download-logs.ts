import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunLogLine } from '../../contracts/run-types';
import type { Db } from '../../db/client';
import { readRunRow } from '../../db/runs';
import { readLogLines } from './page-logs';

const PAGE = 2000;
const ROUTE = /^\/api\/runs\/(\d{1,15})\/logs\.txt$/;

export function formatLogLine(l: RunLogLine): string {
  return `${new Date(l.ts).toISOString()} ${l.host ?? '-'} ${l.stepId ?? '-'} ${l.stream}: ${l.text}\n`;
}

/** GET /api/runs/:id/logs.txt?host=&step= → text/plain, written page by page with backpressure. Returns false when the URL is not this route. */
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
  const filter = { runId, host: url.searchParams.get('host') || undefined, stepId: url.searchParams.get('step') || undefined };
  const name = `run-${runId}${filter.host ? `-${filter.host}` : ''}${filter.stepId ? `-${filter.stepId}` : ''}.log`.replace(/[^A-Za-z0-9._-]/g, '_');
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  let after = 0;
  const pump = () => {
    while (!res.destroyed) {
      const lines = readLogLines(db, filter, after, PAGE);
      if (lines.length === 0) return void res.end();
      after = lines[lines.length - 1]!.seq;
      if (!res.write(lines.map(formatLogLine).join(''))) return void res.once('drain', pump);
    }
  };
  pump();
  return true;
}
