import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { createClusterApi, labSpec, shot, shotOf, trpc, uniqueName, waitRunEnded } from './support/dashboard';
import { expectAccessible } from './support/axe';
import { login } from './support/login';

let hosts: LabHost[];
test.beforeAll(async () => { hosts = await labHosts(3); });
test.use({ viewport: { width: 1440, height: 900 } });

const lenient = { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 };

const noSeriousA11yViolations = (page: Page, what: string) => expectAccessible(page, { seriousOnly: true, what });

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const dl = page.waitForEvent('download');
  await click();
  return readFile(await (await dl).path(), 'utf8');
}

test('a failed run opens at its failure; the logs, preflight report, comparison and timeline tell what happened', async ({ page }) => {
  test.setTimeout(300_000);
  const [first, second] = hosts as [LabHost, LabHost, LabHost];
  const name = uniqueName('runpage');
  await login(page);
  const spec = (minCpuControlPlane: number) => labSpec(name, hosts, { preflight: { ...lenient, minCpuControlPlane } });
  const clusterId = await createClusterApi(page, spec(64));
  const failedRun = (await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline: 'preflightOnly' }, 'mutation')).runId;
  expect(await waitRunEnded(page, failedRun)).toBe('failed');

  // 1. the page opens at the failure: summary with a hint, the failed cell selected, in the viewport, its host column marked
  await page.goto(`/runs/${failedRun}`);
  const summary = page.getByTestId('failure-summary');
  await expect(summary.getByTestId('failure-step')).toContainText('Preflight report');
  await expect(summary.getByTestId('failure-message')).toContainText(/CPU cores: \d+ \(expected >= 64 \(control-plane\)\)/);
  await expect(summary.getByTestId('failure-hint')).toContainText('Preflight minimum not met');
  await expect(summary.getByTestId('failure-hint')).toContainText('expected >= 64 (control-plane)');
  await expect(page).toHaveURL(new RegExp(`/runs/${failedRun}\\?cell=[\\d.]+%40${first.name}$|/runs/${failedRun}\\?cell=[\\d.]+@${first.name}$`));
  const failedCell = page.getByTestId('run-grid').locator(`[data-step="Preflight report"][data-host="${first.name}"]`);
  await expect(failedCell).toHaveAttribute('data-status', 'failed');
  await expect(failedCell).toHaveAttribute('aria-selected', 'true');
  await expect(failedCell).toBeInViewport();
  await expect(page.getByTestId('run-grid').locator('[data-marked]')).toHaveText(new RegExp(first.name));
  await expect(page.getByTestId('cell-panel')).toContainText('Preflight report');
  // the top of the page (summary, counts, the grid scrolled to the failed cell) for the README
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'failure-summary', { height: 760 });
  // honest progress: the parts add up, and a failed run does not read 100%
  const count = async (s: string) => Number(await page.getByTestId(`count-${s}`).getAttribute('data-count'));
  const total = (await trpc<{ plan: { cellCount: number } }>(page, 'runs.get', { runId: failedRun })).plan.cellCount;
  expect((await count('succeeded')) + (await count('skipped')) + (await count('failed')) + (await count('cancelled')) + (await count('pending')) + (await count('running'))).toBe(total);
  const ran = (await count('succeeded')) + (await count('skipped')) + (await count('failed'));
  expect(Number(await page.getByTestId('run-progress').getAttribute('data-pct'))).toBe(Math.floor((ran / total) * 100));
  // roll-ups: the CPU task failed on the control plane only; checks are advisory, never "ignore errors"
  const grid = page.getByTestId('run-grid');
  await expect(grid.getByRole('gridcell', { name: `CPU on ${first.name}: failed` })).toHaveAttribute('data-rollup', 'failed');
  await expect(grid.getByRole('gridcell', { name: `CPU on ${second.name}: succeeded` })).toBeVisible();
  await expect(grid.getByText('advisory').first()).toBeVisible();
  await expect(page.getByText('ignore errors')).toHaveCount(0);
  await noSeriousA11yViolations(page, 'failed run');

  // 4. preflight as a report: hosts × checks, sortable, CSV
  const report = page.getByTestId('preflight-report');
  await expect(report.locator('summary')).toContainText('3 host(s) × 10 checks · 1 failed');
  await report.locator('summary').click();
  await expect(report.locator(`td[data-check="CPU cores"][data-host="${first.name}"]`)).toHaveAttribute('data-status', 'failed');
  await expect(report.locator(`td[data-check="CPU cores"][data-host="${second.name}"]`)).toHaveAttribute('data-status', 'passed');
  await report.getByRole('button', { name: 'Host', exact: true }).click();
  await expect(report.locator('tbody th').first()).toHaveText(hosts.map((h) => h.name).sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))[0]!);
  await report.getByRole('button', { name: 'CPU cores', exact: true }).click();
  await expect(report.locator('tbody th').first()).toHaveText(first.name);
  const csv = await download(page, () => report.getByRole('button', { name: 'Export CSV' }).click());
  expect(csv).toMatch(new RegExp(`^${first.name},CPU cores,failed,\\d+,>= 64 \\(control-plane\\)\\r$`, 'm'));

  // 5. logs: the download names every step with its status and the failure; per host; the panel searches, wraps, shows times, Esc closes
  await page.getByText('Run log (all hosts)').click();
  const all = await download(page, () => page.getByTestId('log-download').click());
  expect(all).toMatch(new RegExp(`^# run #${failedRun} · preflightOnly on ${name} · failed`, 'm'));
  expect(all).toMatch(new RegExp(`^== Preflight / Preflight report / Preflight report · ${first.name} · failed · [\\d.]+s · exit - · command: 1 preflight check\\(s\\) failed: CPU cores: \\d+ \\(expected >= 64 \\(control-plane\\)\\)$`, 'm'));
  expect(all).toMatch(new RegExp(`^== Preflight / CPU / Check CPU cores · ${second.name} · succeeded · [\\d.]+s`, 'm'));
  await page.getByLabel('Download the log of').selectOption(second.name);
  const one = await download(page, () => page.getByTestId('log-download').click());
  expect(one).toContain(`· ${second.name} · succeeded`);
  expect(one).not.toContain(`· ${first.name} ·`);
  const panel = page.getByTestId('cell-panel');
  await panel.getByLabel('Search log').fill('expected');
  await expect(panel.locator('mark[data-match]').first()).toHaveText(/^expected$/i);
  await panel.getByLabel('wrap').check();
  await expect(panel.getByTestId('log-view')).toHaveAttribute('data-wrap', 'true');
  await panel.getByLabel('timestamps').check();
  await expect(panel.getByTestId('log-time').first()).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await panel.getByLabel('Search log').press('Escape');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/runs/${failedRun}$`));
  // a linked cell opens selected
  const cpuStep = (await trpc<{ plan: { modules: { tasks: { name: string; steps: { id: string }[] }[] }[] } }>(page, 'runs.get', { runId: failedRun }))
    .plan.modules[0]!.tasks.find((t) => t.name === 'CPU')!.steps[0]!.id;
  await page.goto(`/runs/${failedRun}?cell=${cpuStep}@${second.name}`);
  await expect(page.getByTestId('cell-panel')).toContainText(`on ${second.name}`);
  await expect(grid.locator(`[data-step-id="${cpuStep}"][data-host="${second.name}"]`)).toHaveAttribute('aria-selected', 'true');

  // a passing run on the same cluster: the spec changed, its CPU cell changed status; it has an ETA from the failed run's steps
  const { version } = await trpc<{ version: number }>(page, 'clusters.get', { clusterId });
  await trpc(page, 'clusters.update', { clusterId, expectedVersion: version, spec: spec(1) }, 'mutation');
  const passedRun = (await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline: 'preflightOnly' }, 'mutation')).runId;
  const estimate = await trpc<{ runs: number; stepMs: Record<string, number> }>(page, 'runs.estimate', { runId: passedRun });
  expect(estimate.runs).toBe(1);
  expect(estimate.stepMs[cpuStep]).toBeGreaterThanOrEqual(0);
  expect(await waitRunEnded(page, passedRun)).toBe('succeeded');

  // 6. compare from history: pick two runs
  await page.goto(`/runs?cluster=${clusterId}`);
  await page.getByLabel(`Pick run #${failedRun} to compare`).check();
  await page.getByLabel(`Pick run #${passedRun} to compare`).check();
  await page.getByTestId('compare-runs').click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${failedRun}&b=${passedRun}$`));
  const table = page.getByTestId('compare-table');
  await expect(table.locator(`tr[data-path="Preflight / CPU / Check CPU cores"] td[data-host="${first.name}"]`)).toHaveAttribute('data-change', 'status');
  await expect(table.locator(`tr[data-path="Preflight / Preflight report / Preflight report"] td[data-host="${first.name}"]`)).toHaveAttribute('data-change', 'status');
  expect(Number(await page.getByTestId('compare-counts').locator('li').first().getAttribute('data-count'))).toBeGreaterThanOrEqual(2);
  const diff = page.getByTestId('spec-diff');
  await expect(diff.getByRole('row', { name: /preflight\.minCpuControlPlane 64 1/ })).toBeVisible();
  await expect(diff).not.toContainText('PRIVATE KEY');
  await noSeriousA11yViolations(page, 'compare');
  await shotOf(page.locator('main'), 'compare');

  // 7. the timeline of the passing run: a lane per host, a bar per step, hover and zoom, a click opens the cell
  await page.goto(`/runs/${passedRun}?view=timeline`);
  const timeline = page.getByTestId('run-timeline');
  await expect(timeline.locator('[data-lane]')).toHaveCount(3);
  const bars = timeline.locator(`[data-lane="${second.name}"] [data-bar]`);
  expect(await bars.count()).toBeGreaterThan(5);
  await expect(timeline.locator('[data-bar][data-status="succeeded"]').first()).toBeVisible();
  // the widest bar: 1 ms steps are drawn 3 px wide and overlap their neighbours
  const widest = await bars.evaluateAll((els) => els.reduce((best, e, i, all) => (e.getBoundingClientRect().width > all[best]!.getBoundingClientRect().width ? i : best), 0));
  await bars.nth(widest).hover();
  await expect(page.getByTestId('timeline-hover')).toContainText(new RegExp(`on ${second.name}: (succeeded|skipped), `));
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.getByTestId('timeline-zoom')).toHaveText('2×');
  await noSeriousA11yViolations(page, 'timeline');
  const picked = await bars.nth(widest).getAttribute('data-bar');
  await bars.nth(widest).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${passedRun}\\?cell=`));
  const [stepId, host] = picked!.split('|');
  await expect(grid.locator(`[data-step-id="${stepId}"][data-host="${host}"]`)).toHaveAttribute('aria-selected', 'true');

  // a retry links back to what it retried and compares with it
  await page.goto(`/runs/${failedRun}`);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page).toHaveURL((u) => /\/runs\/\d+/.test(u.pathname) && !u.pathname.endsWith(`/${failedRun}`));
  const retryId = Number(new URL(page.url()).pathname.split('/').pop());
  expect(await waitRunEnded(page, retryId)).toBe('failed');
  await page.getByRole('link', { name: 'compare' }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${failedRun}&b=${retryId}$`));
  await expect(page.getByTestId('compare-side-b')).toContainText(`#${retryId}`);
  await expect(page.getByTestId('spec-diff')).toContainText('Both runs used the same spec.');
});
