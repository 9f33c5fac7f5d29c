import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { buildMirror, startMirror, type Mirror } from './mirror/serve';
import { createClusterApi, focusStep, labSpec, runCells, runIdOf, shot, trpc, uniqueName, waitRunEnded } from './support/dashboard';
import { login } from './support/login';

let hosts: LabHost[];
let mirror: Mirror;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  // a slow mirror (every download waits) keeps the run long enough to cancel in the middle
  [hosts, mirror] = await Promise.all([labHosts(3), buildMirror().then((dir) => startMirror(dir, { delayMs: 10_000 }))]);
});
test.afterAll(async () => { await mirror?.close(); });
test.use({ viewport: { width: 1600, height: 1000 } });

type Summary = Record<string, number>;
const apiCounts = async (page: Page, runId: number) =>
  (await trpc<{ run: { summary: { total: Summary } } }>(page, 'runs.get', { runId })).run.summary.total;
const pageCounts = (page: Page) => page.getByTestId('run-summary').locator('[data-testid^="count-"]').evaluateAll((els) =>
  Object.fromEntries(els.map((e) => [e.getAttribute('data-testid')!.slice(6), Number(e.getAttribute('data-count'))])));

test('a long run survives a dropped socket, is cancelled, retried with finished steps skipped, and both runs are found in history', async ({ page, context, browser }) => {
  test.setTimeout(300_000);
  const name = uniqueName('cancel');
  await login(page);
  const clusterId = await createClusterApi(page, labSpec(name, hosts, {
    etcd: { type: 'kubexms', version: 'v3.4.23' }, containerd: { version: 'v1.6.20' }, artifacts: { mirror: mirror.url },
  }));
  // start from hosts without containerd/etcd, whatever an earlier test run left
  const clean = await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline: 'resetCluster' }, 'mutation');
  expect(await waitRunEnded(page, clean.runId)).toBe('succeeded');

  await page.goto(`/clusters/${clusterId}`);
  // the lab's etcd (Debian's 3.4) is below what kubeadm supports: the run stops after etcd
  await page.getByLabel('Create cluster stops after').selectOption('etcd');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(page);
  // a second user session (its own context, so it stays online below) watching the same run
  const watcher = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await login(watcher, { next: `/runs/${runId}` });
  await expect(watcher.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  // the live grid while containerd (the plan's module 2) installs
  await focusStep(page, '2.');
  const containerd = (status: string) => page.getByTestId('run-grid').locator(`[data-step-id^="2.0.0"][data-status="${status}"]`).first();
  await expect(containerd('running')).toBeVisible({ timeout: 120_000 });
  await shot(page, 'live-grid');

  // the socket drops while containerd finishes: the page says so, then catches up with what it missed
  await context.setOffline(true);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', /offline|reconnecting/);
  await expect.poll(async () => (await runCells(watcher, runId)).some((c) => c.stepId === '2.0.0' && c.status === 'succeeded'), { timeout: 120_000, intervals: [250] }).toBe(true);
  await expect(containerd('running')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(containerd('succeeded')).toBeVisible();
  // cancel while etcd downloads
  await page.getByRole('button', { name: 'Cancel run' }).click();
  expect(await waitRunEnded(page, runId)).toBe('cancelled');
  const final = await apiCounts(page, runId);
  for (const p of [page, watcher]) {
    await expect(p.getByTestId('run-summary')).toHaveAttribute('data-status', 'cancelled');
    await expect(p.getByTestId('count-running')).toHaveAttribute('data-count', '0');
    await expect.poll(() => pageCounts(p)).toEqual(final);
  }
  expect(final.cancelled).toBeGreaterThan(0);

  // retry: what the first run finished is skipped by its checks
  const done = new Set((await runCells(page, runId)).filter((c) => c.status === 'succeeded' && c.stepId.startsWith('2.')).map((c) => `${c.stepId}|${c.host}`));
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page).toHaveURL((u) => /\/runs\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${runId}`));
  const retryId = runIdOf(page);
  await expect(page.getByRole('link', { name: `retry of #${runId}` })).toBeVisible();
  // a cell the first run finished, opened by its link (finished modules fold, so walking the grid may not meet it)
  const [doneStep, doneHost] = ([...done][0] ?? '').split('|');
  expect(doneStep && doneHost).toBeTruthy();
  await page.goto(`/runs/${retryId}?cell=${doneStep}@${doneHost}`);
  const cell = page.getByTestId('run-grid').locator(`[data-step-id="${doneStep}"][data-host="${doneHost}"]`);
  await expect(cell).toHaveAttribute('data-status', 'skipped', { timeout: 120_000 });
  // the retry keeps the run's options: it stops after etcd too, and finishes there
  expect(await waitRunEnded(page, retryId)).toBe('succeeded');

  // history: both runs by cluster and pipeline (not the reset runs); by status only the cancelled one
  await page.goto('/runs');
  await page.getByLabel('Cluster').selectOption({ label: name });
  await page.getByLabel('Pipeline').selectOption('createCluster');
  await expect(page).toHaveURL(new RegExp(`cluster=${clusterId}.*pipeline=createCluster`));
  const rows = page.getByTestId('run-list').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId(`run-row-${retryId}`)).toContainText(`retry of #${runId}`);
  await shot(page, 'history');
  await page.getByLabel('Status').selectOption('cancelled');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`run-row-${runId}`)).toBeVisible();
  await page.getByLabel('Pipeline').selectOption('preflightOnly');
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId(`run-row-${retryId}`)).toBeVisible();
  await page.getByTestId(`run-row-${runId}`).getByRole('link', { name: `#${runId}` }).click();
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByText('Spec snapshot (secrets removed)')).toBeVisible();

  // export the cluster as KubeKey YAML
  await page.goto(`/clusters/${clusterId}`);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export KubeKey YAML' }).click();
  const yaml = await readFile(await (await download).path(), 'utf8');
  expect(yaml).toContain(`name: ${name}`);
  for (const h of hosts) expect(yaml).toContain(`hostKeyFingerprint: ${h.hostKeyFingerprint}`);
  expect(yaml).not.toContain('PRIVATE KEY');

  // leave the lab hosts as we found them
  const reset = await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline: 'resetCluster' }, 'mutation');
  expect(await waitRunEnded(page, reset.runId, 180_000)).toBe('succeeded');
});
