import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_ADMIN_PASSWORD, E2E_PORT } from '../playwright.config';
import { CSRF_HEADER } from '../server/contracts/auth';
import { labHosts, type LabHost } from './hosts/fixture';
import { expectAccessible } from './support/axe';
import { createClusterApi, labSpec, shotOf, trpc, uniqueName, waitRunEnded } from './support/dashboard';
import { login } from './support/login';
import { startServer, type ServerProcess } from './support/server-process';

// A server of its own (the next port) with the 'test:*' pipelines: 'test:live' is a long run made of real remote commands.
let server: ServerProcess;
let hosts: LabHost[];
test.beforeAll(async () => {
  test.setTimeout(180_000);
  [hosts, server] = await Promise.all([labHosts(3), startServer({ testPipelines: true, env: { PORT: String(E2E_PORT + 1), KUBEXMS_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD } })]);
});
test.afterAll(async () => { await server?.stop(); });

// in the lab subnet, routed to the lab bridge, but no lab host has it: nothing answers
const GHOST = '198.51.100.251';

async function open(browser: Browser, height = 720): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height } });
  const page = await context.newPage();
  await login(page);
  return page;
}

const start = async (page: Page, clusterId: number, pipeline: string) => (await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline }, 'mutation')).runId;
const gridScrollTop = (page: Page) => page.getByTestId('run-grid').evaluate((el) => el.scrollTop);

test('a live run: the grid follows the running steps until scrolled by hand; harmless stderr is not red; a rerun of the failed hosts says so, lists them and has an ETA', async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await open(browser);
  const name = uniqueName('live');
  const clusterId = await createClusterApi(page, labSpec(name, hosts));
  const [first, second] = hosts as [LabHost, LabHost, LabHost];
  const runId = await start(page, clusterId, 'test:live');
  await page.goto(`/runs/${runId}`);
  const grid = page.getByTestId('run-grid');
  await grid.scrollIntoViewIfNeeded();

  // follow: once the fifth step of the second batch runs (below the first screen of the grid), the grid has scrolled down to it by itself
  const succeeded = async () => Number(await page.getByTestId('count-succeeded').getAttribute('data-count'));
  await expect.poll(succeeded, { timeout: 60_000 }).toBeGreaterThanOrEqual(3 * (1 + 8 + 4));
  const runningCell = grid.locator('[data-status="running"]').first();
  await expect(runningCell).toBeInViewport();
  expect(await gridScrollTop(page)).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Follow the running steps' })).toHaveCount(0);
  // the user scrolls up: the grid stays there while later steps start, and offers to follow again
  await grid.hover();
  await page.mouse.wheel(0, -5000);
  await expect(page.getByRole('button', { name: 'Follow the running steps' })).toBeVisible();
  await expect.poll(() => gridScrollTop(page)).toBe(0);
  const seen = await succeeded();
  await expect.poll(succeeded).toBeGreaterThanOrEqual(seen + 6);
  expect(await gridScrollTop(page)).toBe(0);
  await page.getByRole('button', { name: 'Follow the running steps' }).click();
  await expect(runningCell).toBeInViewport();
  expect(await gridScrollTop(page)).toBeGreaterThan(0);
  expect(await waitRunEnded(page, runId)).toBe('failed');
  // the README's timeline: three hosts, 26 steps, the failure on the first host
  await page.goto(`/runs/${runId}?view=timeline`);
  await expect(page.getByTestId('run-timeline').locator('[data-lane]')).toHaveCount(3);
  await shotOf(page.getByTestId('run-timeline'), 'timeline');

  // stderr of a step that succeeded is ordinary output; stderr of the failed step is shown as an error
  await page.goto(`/runs/${runId}?cell=0.0.0@${second.name}`);
  const panel = page.getByTestId('cell-panel');
  const harmless = panel.locator('[data-stream="stderr"]', { hasText: 'Created symlink (harmless)' });
  await expect(harmless).toBeVisible();
  await expect(harmless).not.toHaveAttribute('data-error', /.*/);
  const plain = await panel.locator('[data-stream="stdout"]', { hasText: 'warmed up' }).evaluate((el) => getComputedStyle(el).color);
  expect(await harmless.evaluate((el) => getComputedStyle(el).color)).toBe(plain);
  await page.goto(`/runs/${runId}?cell=0.4.0@${first.name}`);
  const broken = panel.locator('[data-stream="stderr"]', { hasText: 'this host is broken on purpose' });
  await expect(broken).toHaveAttribute('data-error', 'true');
  expect(await broken.evaluate((el) => getComputedStyle(el).color)).not.toBe(plain);

  // rerun the failed hosts: labelled as such (not "retry"), with its hosts; the earlier run gives it an ETA
  await page.goto(`/runs/${runId}`);
  await page.getByRole('button', { name: 'Rerun failed hosts' }).click();
  await expect(page).toHaveURL((u) => /\/runs\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${runId}`));
  const rerunId = Number(new URL(page.url()).pathname.split('/').pop());
  const origin = page.getByTestId('run-origin');
  await expect(origin).toHaveAttribute('data-repeat', 'failedHosts');
  await expect(origin).toContainText(`rerun of the failed hosts of #${runId}: ${first.name}`);
  await expect(origin).not.toContainText('retry');
  await expect(page.getByTestId('run-eta')).toHaveText(/^about (\d+(\.\d)?s|\dm\d\ds) left$/, { timeout: 20_000 });
  const etaSeconds = async () => {
    const m = /about (?:(\d+)m)?(\d+(?:\.\d)?)s left/.exec((await page.getByTestId('run-eta').textContent()) ?? '');
    return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
  };
  // 25 steps of about 0.8 s on one host: the estimate is of that order, and falls as the run goes on
  const early = await etaSeconds();
  expect(early).toBeGreaterThan(2);
  expect(early).toBeLessThan(60);
  await expect.poll(etaSeconds, { timeout: 20_000 }).toBeLessThan(early);
  await expectAccessible(page, { seriousOnly: true, what: 'live run' });
  expect(await waitRunEnded(page, rerunId)).toBe('failed');
  await expect(page.getByTestId('run-eta')).toHaveCount(0);

  // history tells a rerun of failed hosts from a retry, with its hosts
  await page.goto(`/runs?cluster=${clusterId}`);
  const row = page.getByTestId(`run-row-${rerunId}`);
  await expect(row.getByTestId('run-origin')).toHaveText(`rerun of the failed hosts of #${runId}: ${first.name}`);
  await expect(page.getByTestId(`run-row-${runId}`).getByTestId('run-origin')).toHaveCount(0);
  await page.context().close();
});

test('a host that does not answer: its cell says "connecting (attempt n of 3, gives up at …)", then the run fails with the unreachable hint', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await open(browser);
  const [first] = hosts as [LabHost];
  const spec = labSpec(uniqueName('ghost'), [first]);
  spec.hosts.push({ ...spec.hosts[0]!, name: 'ghost', address: GHOST, roles: ['worker'] });
  const clusterId = await createClusterApi(page, spec);
  const runId = await start(page, clusterId, 'test:hold');
  await page.goto(`/runs/${runId}`);
  const ghost = page.getByTestId('run-grid').locator('[data-host="ghost"][data-step="Hold"]');
  await expect(ghost).toHaveAttribute('data-connecting', /^[123]\/3$/);
  await expect(ghost).toHaveAccessibleName(/^Hold on ghost: connecting \(attempt [123] of 3, gives up at \d\d:\d\d:\d\d\)/);
  await expect(ghost).toContainText(/connecting [123]\/3/);
  await ghost.click();
  await expect(page.getByTestId('cell-connecting')).toHaveText(/^connecting \(attempt [123] of 3, gives up at \d\d:\d\d:\d\d\)$/);
  await expectAccessible(page, { seriousOnly: true, what: 'connecting cell' });
  // no answer: EHOSTUNREACH after each ARP timeout, well before the give-up time
  await expect(ghost).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(ghost).not.toHaveAttribute('data-connecting', /.*/);
  await expect(page.getByTestId('cell-connecting')).toHaveCount(0);
  await expect(page.getByTestId('cell-panel').locator('[data-stream="system"]', { hasText: 'connecting: attempt 2 of 3 failed' })).toBeVisible();
  expect(await waitRunEnded(page, runId)).toBe('failed');
  await page.goto(`/runs/${runId}`);
  const summary = page.getByTestId('failure-summary');
  await expect(summary.getByTestId('failure-message')).toContainText(`cannot connect to ${GHOST}:22: no route to host`);
  await expect(summary.getByTestId('failure-hint')).toContainText(GHOST);
  await page.context().close();
});

test('audit: filter by who, action, cluster and time; the detail opens whole', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await open(browser, 900);
  const name = uniqueName('audited');
  const clusterId = await createClusterApi(page, labSpec(name, hosts.slice(0, 1)));
  const runId = await start(page, clusterId, 'test:hold');
  expect(await waitRunEnded(page, runId)).toBe('succeeded');
  await trpc(page, 'runs.retry', { runId }, 'mutation');
  // a failed sign-in under another name: a second actor
  const refused = await page.request.post('/api/trpc/auth.login', { data: { username: 'mallory', password: 'not-the-password' }, headers: { [CSRF_HEADER]: '1', origin: server.url } });
  expect(refused.ok()).toBe(false);

  await page.goto('/audit');
  const list = page.getByTestId('audit-list');
  await expect(list.locator('tbody tr').first()).toBeVisible();
  await page.getByLabel('Who').selectOption('mallory');
  await expect(page).toHaveURL(/actor=mallory/);
  await expect(list.locator('tbody tr')).toHaveCount(1);
  await expect(list.locator('tbody tr').first()).toHaveAttribute('data-action', 'auth.login_failed');
  await page.getByLabel('Who').selectOption('admin');
  await page.getByLabel('Cluster').selectOption({ label: name });
  await expect(page).toHaveURL(new RegExp(`cluster=${clusterId}`));
  const actions = () => list.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  await expect.poll(actions).toEqual(['run.retried', 'run.started', 'cluster.created']);
  await page.getByLabel('Action').selectOption('run.started');
  await expect.poll(actions).toEqual(['run.started']);
  // the whole detail, nothing cut: every field of the entry, pretty-printed, once opened
  const detail = list.getByTestId('audit-detail').first();
  await expect(detail.getByTestId('audit-detail-json')).toBeHidden();
  await detail.locator('summary').click();
  const json = JSON.parse((await detail.getByTestId('audit-detail-json').textContent()) ?? '') as Record<string, unknown>;
  expect(json).toEqual({ runId, clusterId, pipeline: 'test:hold', onlyHosts: null, until: null });
  await expectAccessible(page, { what: 'audit, filtered, a detail open' });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, { what: 'audit, filtered, a detail open, dark' });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
  // a time range: from a minute in the future matches nothing and says what to do; a range that ends before it starts is refused in words
  const local = (t: number) => { const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000); return d.toISOString().slice(0, 16); };
  await page.getByLabel('From', { exact: true }).fill(local(Date.now() + 120_000));
  await expect(page.getByTestId('audit-empty')).toContainText('No entries match these filters');
  await page.getByLabel('To', { exact: true }).fill(local(Date.now() - 3_600_000));
  await expect(page.locator('#audit-range-error')).toHaveText(/The time range ends before it starts/);
  await expect(page.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('From', { exact: true }).fill(local(Date.now() - 3_600_000));
  await page.getByLabel('To', { exact: true }).fill(local(Date.now() + 120_000));
  await expect.poll(actions).toEqual(['run.started']);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect.poll(async () => (await actions()).length).toBeGreaterThan(3);
  await page.context().close();
});
