import { StepError } from '../../engine';
import type { KxStep } from '../common/types';
import { CHECK_TITLES, collectPreflightReport, expectedChecks, renderReportTable } from './report';

/** Logs this host's table; fails when a check failed or never recorded a result. */
export const reportStep: KxStep = {
  name: 'Preflight report',
  check: async () => false,
  run: async (ctx) => {
    const rows = collectPreflightReport(ctx.runtime).filter((r) => r.host === ctx.host.name);
    ctx.log(renderReportTable(rows));
    const problems = rows.filter((r) => r.status === 'failed').map((r) => `${r.title}: ${r.measured} (expected ${r.expected})`);
    const missing = expectedChecks(ctx.runtime.spec).filter((c) => !rows.some((r) => r.check === c)).map((c) => `${CHECK_TITLES[c]}: no result`);
    const warnings = rows.filter((r) => r.status === 'warning').length;
    if (problems.length + missing.length > 0) {
      throw new StepError('command', `${problems.length + missing.length} preflight check(s) failed: ${[...problems, ...missing].join('; ')}`);
    }
    ctx.log(`preflight passed: ${rows.length} checks, ${warnings} warning(s)`);
  },
};
