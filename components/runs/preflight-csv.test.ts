import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreflightReportRow } from '@/server/contracts/run-api';
import { preflightCsv, sortHosts } from './preflight-csv';

const rows: PreflightReportRow[] = [
  { host: 'n10', check: 'CPU cores', status: 'passed', measured: '4', expected: '>= 2 (worker)' },
  { host: 'n2', check: 'CPU cores', status: 'failed', measured: '2', expected: '>= 64 (control-plane)' },
  { host: 'n2', check: 'OS', status: 'warning', measured: 'Debian "trixie", 13', expected: 'supported' },
];

test('CSV quotes what needs quoting', () => {
  assert.equal(preflightCsv(rows), [
    'host,check,status,measured,expected',
    'n10,CPU cores,passed,4,>= 2 (worker)',
    'n2,CPU cores,failed,2,>= 64 (control-plane)',
    'n2,OS,warning,"Debian ""trixie"", 13",supported',
    '',
  ].join('\r\n'));
});

test('hosts sort by name (numeric) or by a check, failed first', () => {
  const byCell = new Map(rows.map((r) => [`${r.host}|${r.check}`, r]));
  assert.deepEqual(sortHosts(['n10', 'n2', 'n3'], byCell, { by: 'host', dir: 1 }), ['n2', 'n3', 'n10']);
  assert.deepEqual(sortHosts(['n10', 'n2', 'n3'], byCell, { by: 'CPU cores', dir: 1 }), ['n2', 'n10', 'n3']);
  assert.deepEqual(sortHosts(['n10', 'n2', 'n3'], byCell, { by: 'CPU cores', dir: -1 }), ['n3', 'n10', 'n2']);
});
