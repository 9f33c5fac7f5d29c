import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunCache } from '../../engine';
import type { KxContext } from '../common/types';
import { CHECK_ORDER, collectPreflightReport, expectedChecks, parseLoggedResult, recordCheck, renderReportTable } from './report';
import { reportStep } from './report-step';

function fakeCtx(host: string, cache: RunCache, lines: string[]): KxContext {
  return { host: { name: host }, runtime: { cache }, log: (l: string) => void lines.push(l) } as unknown as KxContext;
}

test('recordCheck logs one line, a rerun replaces the row, the report is ordered by host then check', () => {
  const cache = new RunCache();
  const lines: string[] = [];
  const b = fakeCtx('b', cache, lines);
  const a = fakeCtx('a', cache, lines);
  recordCheck(b, { check: 'memory', status: 'failed', measured: '512 MiB', expected: '>= 1024 MiB (worker)' });
  recordCheck(b, { check: 'os', status: 'passed', measured: 'Debian 12', expected: 'supported' });
  recordCheck(a, { check: 'disk', status: 'warning', measured: 'x', expected: 'y' });
  recordCheck(b, { check: 'memory', status: 'passed', measured: '2048 MiB', expected: '>= 1024 MiB (worker)' });
  assert.equal(lines[0], 'preflight Memory: FAILED — 512 MiB (expected >= 1024 MiB (worker))');
  const rows = collectPreflightReport({ cache, hosts: [{ name: 'b', address: '', roles: [] }, { name: 'a', address: '', roles: [] }] });
  assert.deepEqual(rows.map((r) => `${r.host}:${r.check}:${r.status}`), ['b:os:passed', 'b:memory:passed', 'a:disk:warning']);
  assert.deepEqual(collectPreflightReport({ cache: new RunCache(), hosts: [] }), []);
});

test('renderReportTable aligns columns', () => {
  const table = renderReportTable([
    { host: 'n1', check: 'os', title: 'OS', status: 'passed', measured: 'Debian GNU/Linux 12', expected: 'supported' },
    { host: 'node-22', check: 'memory', title: 'Memory', status: 'failed', measured: '512 MiB', expected: '>= 2048 MiB' },
  ]);
  assert.equal(
    table,
    [
      'HOST     CHECK   STATUS  MEASURED             EXPECTED',
      'n1       OS      passed  Debian GNU/Linux 12  supported',
      'node-22  Memory  failed  512 MiB              >= 2048 MiB',
      '',
    ].join('\n'),
  );
});

test('a logged result parses back to the same result; other lines do not', () => {
  const lines: string[] = [];
  const ctx = fakeCtx('a', new RunCache(), lines);
  const results = [
    { check: 'memory', status: 'failed', measured: '512 MiB', expected: '>= 1024 MiB (worker)' },
    { check: 'time-skew', status: 'warning', measured: '1.2 s (to n1)', expected: '< 1 s' },
    { check: 'cpu', status: 'passed', measured: '2', expected: '>= 2 (control-plane)' },
  ] as const;
  for (const r of results) recordCheck(ctx, r);
  assert.deepEqual(lines.map(parseLoggedResult), results);
  assert.equal(parseLoggedResult('preflight passed: 10 checks, 0 warning(s)'), null);
  assert.equal(parseLoggedResult('preflight Nope: PASSED — x (expected y)'), null);
});

test('the report step expects Package sources only when the spec asks for packages: a run without system.debs passes', async () => {
  const run = async (system: { debs: string[]; rpms: string[] } | undefined) => {
    const cache = new RunCache();
    const lines: string[] = [];
    const ctx = { ...fakeCtx('n1', cache, lines), runtime: { cache, hosts: [{ name: 'n1', address: '', roles: [] }], spec: { system } } } as unknown as KxContext;
    for (const check of CHECK_ORDER.filter((c) => c !== 'packages' && c !== 'ipvs')) recordCheck(ctx, { check, status: 'passed', measured: 'm', expected: 'e' });
    await reportStep.run(ctx);
    return lines.at(-1);
  };
  assert.deepEqual(expectedChecks({}), CHECK_ORDER.filter((c) => c !== 'packages' && c !== 'ipvs'));
  assert.deepEqual(expectedChecks({ system: { debs: ['chrony'], rpms: [] } }), CHECK_ORDER.filter((c) => c !== 'ipvs'));
  assert.deepEqual(expectedChecks({ system: { debs: ['chrony'], rpms: [] }, kubernetes: { proxyMode: 'ipvs' } }), CHECK_ORDER);
  assert.deepEqual(expectedChecks({ kubernetes: { proxyMode: 'iptables' } }), expectedChecks({}));
  assert.equal(await run(undefined), 'preflight passed: 10 checks, 0 warning(s)');
  assert.equal(await run({ debs: [], rpms: [] }), 'preflight passed: 10 checks, 0 warning(s)');
  await assert.rejects(run({ debs: ['chrony'], rpms: [] }), /1 preflight check\(s\) failed: Package sources: no result/);
});
