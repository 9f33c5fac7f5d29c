import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { CSRF_HEADER } from '../server/contracts/auth';
import { labHosts, type LabHost } from './hosts/fixture';
import { expectAccessible } from './support/axe';
import { createClusterApi, labSpec, runIdOf, uniqueName, waitRunEnded } from './support/dashboard';
import { login } from './support/login';

let hosts: LabHost[];
test.beforeAll(async () => { hosts = await labHosts(2); });

/** A port on 127.0.0.1 that refuses connections: a host there makes a reset fail at once. */
async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function openDelete(page: Page, clusterId: number) {
  await page.goto(`/clusters/${clusterId}`);
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

test('delete asks for the name (checked by the server too), resets the hosts first, then deletes; the runs keep the name in history', async ({ page }) => {
  test.setTimeout(180_000);
  const name = uniqueName('delete');
  await login(page);
  const clusterId = await createClusterApi(page, labSpec(name, hosts));
  const dialog = await openDelete(page, clusterId);
  await expect(dialog.getByRole('heading', { name: `Delete cluster ${name}?` })).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete cluster' });
  const typed = dialog.getByLabel(`Type ${name} to confirm`);
  await expect(typed).toBeFocused();
  await expect(confirm).toBeDisabled();
  await typed.fill(name.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await expectAccessible(page, { include: 'dialog', what: 'delete dialog' });

  // the server refuses a wrong name whatever the page does
  const refused = await page.request.post('/api/trpc/clusters.delete', { data: { clusterId, confirmName: name.toUpperCase() }, headers: { [CSRF_HEADER]: '1', origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain(`type the cluster's name`);
  // Esc closes without deleting
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await page.getByRole('button', { name: 'Delete…' }).click();
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByLabel(/Reset the hosts first/).check();
  await dialog.getByRole('button', { name: 'Reset the hosts, then delete' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(page);
  await expect(page.getByText('resetCluster', { exact: true })).toBeVisible();
  expect(await waitRunEnded(page, runId)).toBe('succeeded');
  await expect(page.getByTestId('deletion-note')).toHaveText(`The hosts were reset and the cluster ${name} was deleted. Its runs stay in the history under its name.`);
  const gone = await page.goto(`/clusters/${clusterId}`);
  await expect(page.getByText(`cluster ${clusterId} not found`)).toBeVisible();
  expect(gone?.status()).toBeLessThan(500);

  // history: the deleted cluster is a filter choice by its name, and finds its runs
  await page.goto('/runs');
  await page.getByLabel('Cluster').selectOption({ label: `${name} (deleted)` });
  await expect(page).toHaveURL(new RegExp(`[?&]deleted=${name}`));
  const rows = page.getByTestId('run-list').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId(`run-row-${runId}`)).toContainText(name);
  await page.reload();
  await expect(page.getByLabel('Cluster')).toHaveValue(`deleted:${name}`);
  await expect(page.getByTestId(`run-row-${runId}`)).toBeVisible();
});

test('a reset that fails keeps the cluster, and both the run page and the cluster page say so', async ({ page }) => {
  test.setTimeout(180_000);
  const name = uniqueName('keep');
  await login(page);
  const spec = labSpec(name, hosts.slice(0, 1));
  const port = await refusedPort();
  spec.hosts.push({ ...spec.hosts[0]!, name: 'refuses', address: '127.0.0.1', port, roles: ['worker'] });
  const clusterId = await createClusterApi(page, spec);
  const dialog = await openDelete(page, clusterId);
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByLabel(/Reset the hosts first/).check();
  await dialog.getByRole('button', { name: 'Reset the hosts, then delete' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(page);
  expect(await waitRunEnded(page, runId)).toBe('failed');
  await expect(page.getByTestId('deletion-note')).toContainText(`The cluster ${name} was kept: the reset ended failed.`);
  await page.getByTestId('deletion-note').getByRole('link', { name: 'Open the cluster' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('deletion-note')).toContainText(`The reset before deleting ended failed (run #${runId}): the cluster is kept.`);
  await expectAccessible(page, { seriousOnly: true, what: 'cluster page with a kept deletion' });

  // deleting without the reset still works, and leaves the page
  const again = await openDelete(page, clusterId);
  await again.getByLabel(`Type ${name} to confirm`).fill(name);
  await again.getByRole('button', { name: 'Delete cluster' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId(`cluster-card-${name}`)).toHaveCount(0);
});
