import { expect, test } from '@playwright/test';
import { labHosts } from './hosts/fixture';
import { expectAccessible } from './support/axe';
import { login } from './support/login';

test('an import with ten errors fills the wizard, lists every error in words and takes each to its field', async ({ page }) => {
  const crashes: string[] = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  await login(page, { next: '/clusters/new' });
  await page.getByLabel('KubeKey config file').setInputFiles('server/spec/fixtures/kubekey-errors.yaml');
  const list = page.getByTestId('import-issues');
  await expect(list).toContainText('The imported file has 10 problems');
  await expect(page.getByTestId('wizard-banner')).toContainText('Imported kubekey-errors.yaml: 2 hosts');
  // five shown, the rest behind a disclosure: all ten reachable
  await expect(list.locator('> ul > li')).toHaveCount(5);
  await list.getByText('5 more').click();
  await expect(list.locator('li')).toHaveCount(10);
  await expect(list).toContainText('Host 2 (node1): the name (line 8:12): duplicate host name (same as host 1 (node1))');
  await expect(list).toContainText('Service CIDR (line 19:22): service CIDR overlaps the pod CIDR');
  await expect(list).not.toContainText('hosts.');
  await expectAccessible(page, { what: 'wizard with import problems, light' });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, { what: 'wizard with import problems, dark' });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();

  // what parsed is in the form, with the wrong value at its field
  await list.getByRole('button', { name: /Host 1 \(node1\): the SSH port/ }).click();
  const port = page.locator('[name="hosts.0.port"]');
  await expect(port).toBeFocused();
  await expect(port).toHaveValue('70000');
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('[name="hosts.1.address"]')).toHaveValue('10.233.0.9');

  await list.getByRole('button', { name: /Service CIDR/ }).click();
  await expect(page.getByLabel('Service CIDR')).toBeFocused();
  await expect(page.getByLabel('Service CIDR')).toHaveValue('10.233.64.0/20');
  expect(crashes).toEqual([]);
});

test('unknown addresses get a not-found page inside the app frame with a way back; the favicon is served', async ({ page }) => {
  await login(page);
  const res = await page.goto('/no/such/page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('navigation').first()).toBeVisible();
  await expectAccessible(page, { what: 'not found' });
  await page.getByRole('link', { name: 'Run history' }).click();
  await expect(page).toHaveURL(/\/runs$/);
  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toBeTruthy();
  const served = await page.request.get(icon!);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toContain('image/svg');
});

test('losing the server shows a banner after 2 s and disables what needs it, with the reason; it recovers by itself', async ({ page, context }) => {
  await login(page, { next: '/clusters/new' });
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await page.getByRole('button', { name: /^6\. Review/ }).click();
  const save = page.getByRole('button', { name: 'Save', exact: true });
  await expect(save).toBeEnabled();
  await context.setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await expect(save).toBeDisabled();
  await expect(save).toHaveAttribute('title', /cannot be reached/);
  await expectAccessible(page, { what: 'offline banner' });
  await context.setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(save).toBeEnabled();
});

test('a password host: accepting its key tests it again at once; an unreachable address reads in words', async ({ page }) => {
  test.setTimeout(180_000);
  const [host] = await labHosts(1);
  await login(page, { next: '/clusters/new' });
  await page.getByRole('button', { name: 'Next' }).click();
  // the host's own password login (not the cluster default)
  await page.locator('[name="hosts.0.name"]').fill(host!.name);
  await page.locator('[name="hosts.0.address"]').fill(host!.address);
  await page.locator('[name="hosts.0.user"]').fill('kxuser');
  await page.locator('[name="hosts.0.auth.type"]').selectOption('password');
  const detail = page.getByTestId('host-detail');
  await detail.getByLabel('SSH password').fill(host!.users.kxuser.password);
  await page.getByRole('button', { name: `Test connection to host 1 (${host!.name})` }).click();
  const status = page.getByTestId('status-0');
  await expect(status).toContainText('accept this host key first');
  await status.getByRole('button', { name: 'Accept key' }).click();
  // no second "Test connection": the login with the password follows the acceptance
  await expect(status).toContainText('Debian GNU/Linux 12');
  await expect(page.getByTestId('host-row-0')).toHaveAttribute('data-pinned', host!.hostKeyFingerprint);
  await expect(detail.getByTestId('pinned-0')).toHaveText(`✓ key pinned ${host!.hostKeyFingerprint}`);

  await page.getByRole('button', { name: 'Add host' }).click();
  await page.locator('[name="hosts.1.name"]').fill('gone');
  await page.locator('[name="hosts.1.address"]').fill('198.51.100.99');
  await page.locator('[name="hosts.1.auth.type"]').selectOption('password');
  await detail.getByLabel('SSH password').fill('not-used');
  await page.getByRole('button', { name: 'Test connection to host 2 (gone)' }).click();
  await expect(page.getByTestId('status-1')).toContainText(/no route to host \(is the address right and the host up\?\)|no SSH answer within/, { timeout: 30_000 });
  await expect(page.getByTestId('status-1')).not.toContainText('EHOSTUNREACH');
});
