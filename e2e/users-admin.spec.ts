import { expect, test, type Page } from '@playwright/test';
import { CSRF_HEADER } from '../server/contracts/auth';
import { trpc, uniqueName } from './support/dashboard';
import { expectAccessible } from './support/axe';
import { login } from './support/login';
import { E2E_ORIGIN as ORIGIN, signedIn, unreachableCluster } from './support/users';

const status = (page: Page, path: string, init: { bearer?: string; data?: unknown } = {}) => {
  const headers = { [CSRF_HEADER]: '1', origin: ORIGIN, ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}) };
  const url = `/api/trpc/${path}`;
  return (init.data === undefined ? page.request.get(url, { headers }) : page.request.post(url, { data: init.data, headers })).then((r) => r.status());
};

const shownSecret = async (page: Page, pattern: RegExp) => pattern.exec((await page.getByTestId('users-notice').textContent()) ?? '')?.[1] ?? '';

test('an admin manages a user from the users page: create, sessions, tokens, role, disable, reset, delete (axe light and dark)', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await login(page, { next: '/users' });
  const own = page.getByTestId('user-admin');
  await expect(own.getByRole('button', { name: 'Disable' })).toHaveAccessibleDescription('you cannot disable or delete yourself');
  await expect(own.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expect(own.getByLabel('Role of admin')).toBeDisabled();
  await expect(own.getByLabel('Role of admin')).toHaveAccessibleDescription('you cannot change your own role');

  const username = uniqueName('ann');
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Role').selectOption('operator');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByTestId('users-notice')).toContainText(`Created ${username}. One-time password (shown once): `);
  const oneTime = await shownSecret(page, /\(shown once\): (\S+)$/);
  const row = page.getByTestId(`user-${username}`);
  await expect(row.getByTestId('user-source')).toHaveText('local');
  await expect(row.getByTestId('user-status')).toHaveText('must change password');
  await expect(row.getByTestId('user-last-seen')).toHaveText('never');

  const ann = await signedIn(browser, username, oneTime);
  await page.reload();
  await expect(row.getByTestId('user-status')).toHaveText('active');
  await expect(row.getByTestId('user-last-seen')).not.toHaveText('never');
  await row.getByRole('button', { name: 'Sessions (1) and tokens' }).click();
  const panel = page.getByTestId(`access-${username}`);
  await expect(panel.getByTestId('user-session')).toHaveCount(1);
  await expect(panel.getByTestId('user-session')).toContainText('127.0.0.1');
  expect(await status(ann, 'system.info')).toBe(200);
  await panel.getByRole('button', { name: 'End session' }).click();
  await expect(panel.getByText('No active session.')).toBeVisible();
  expect(await status(ann, 'system.info')).toBe(401);

  await panel.getByLabel('Token name').fill('ci bot');
  await panel.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('users-notice')).toContainText(`Token "ci bot" for ${username} (shown once): kxt_`);
  const token = await shownSecret(page, /\(shown once\): (kxt_\S+)$/);
  await expect(panel.getByTestId('user-token')).toHaveText(/^ci bot, created .*, never used/);
  expect(await status(ann, 'system.info', { bearer: token })).toBe(200);

  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, { what: 'users page with a user opened, dark' });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
  await expectAccessible(page, { what: 'users page with a user opened, light' });

  await panel.getByRole('button', { name: 'Revoke token' }).click();
  await expect(panel.getByText('No token.')).toBeVisible();
  expect(await status(ann, 'system.info', { bearer: token })).toBe(401);

  await row.getByLabel(`Role of ${username}`).selectOption('viewer');
  await expect.poll(async () => (await trpc<Array<{ username: string; role: string }>>(page, 'users.list', {})).find((u) => u.username === username)?.role).toBe('viewer');

  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByTestId('user-status')).toHaveText('disabled');
  await expect(panel.getByRole('button', { name: 'Create token' })).toHaveAccessibleDescription('the user is disabled');
  const refused = await ann.request.post('/api/trpc/auth.login', { data: { username, password: `${username}-pw-1` }, headers: { [CSRF_HEADER]: '1', origin: ORIGIN } });
  expect(refused.status()).toBe(403);
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.getByTestId('user-status')).toHaveText('active');

  await row.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByTestId('users-notice')).toContainText(`New one-time password for ${username} (shown once): `);
  await expect(row.getByTestId('user-status')).toHaveText('must change password');
  const reset = await shownSecret(page, /\(shown once\): (\S+)$/);
  expect(reset).not.toBe(oneTime);

  await row.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('dialog', { name: `Delete user ${username}?` }).getByRole('button', { name: 'Delete user' }).click();
  await expect(row).toHaveCount(0);
  expect((await trpc<Array<{ username: string }>>(page, 'users.list', {})).some((u) => u.username === username)).toBe(false);
});

test('a viewer and an operator get no users page: the reason is shown, no control is offered, and the API refuses', async ({ page, browser }) => {
  await login(page);
  for (const role of ['viewer', 'operator'] as const) {
    const username = uniqueName(role);
    const { password, user } = await trpc<{ password: string; user: { id: number } }>(page, 'users.create', { username, role }, 'mutation');
    const other = await signedIn(browser, username, password);
    await other.goto('/users');
    await expect(other.getByTestId('current-role')).toHaveText(role);
    await expect(other.getByTestId('users-refused')).toHaveText('Users: only an admin may do this.');
    for (const name of ['Create user', 'Disable', 'Delete', 'Reset password', 'Create token']) await expect(other.getByRole('button', { name })).toHaveCount(0);
    await expect(other.getByRole('link', { name: 'Users' })).toHaveCount(0);
    await expectAccessible(other, { what: `users page as ${role}` });
    expect(await status(other, 'users.list')).toBe(403);
    expect(await status(other, 'users.update', { data: { userId: user.id, role: 'admin' } })).toBe(403);
    expect(await status(other, 'users.createToken', { data: { userId: user.id, name: 'mine' } })).toBe(403);
    expect((await trpc<Array<{ username: string; role: string }>>(page, 'users.list', {})).find((u) => u.username === username)?.role).toBe(role);
  }
});

test("a viewer's cluster pages offer no change: every action is disabled with the reason, the wizard is refused; an operator's are enabled", async ({ page, browser }) => {
  await login(page);
  const { id, name } = await unreachableCluster(page, 'ro-cluster');
  const actions = ['Delete…', 'Test all connections', 'Add nodes', 'Run preflight', 'Create cluster', 'Reset cluster', 'Refresh status', 'Download kubeconfig', 'Back up now'];
  for (const role of ['viewer', 'operator'] as const) {
    const username = uniqueName(role);
    const { password } = await trpc<{ password: string }>(page, 'users.create', { username, role }, 'mutation');
    const other = await signedIn(browser, username, password);
    await other.goto(`/clusters/${id}`);
    await expect(other.getByRole('heading', { name })).toBeVisible();
    for (const action of actions) {
      const button = other.getByRole('button', { name: action, exact: true });
      if (role === 'viewer') await expect(button, action).toHaveAccessibleDescription('needs the operator role');
      else await expect(button, action).toBeEnabled();
    }
    await expect(other.getByRole('link', { name: 'Edit' })).toHaveCount(role === 'viewer' ? 0 : 1);
    await expect(other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New cluster' })).toHaveCount(role === 'viewer' ? 0 : 1);
    if (role === 'viewer') {
      await expectAccessible(other, { include: '[data-testid="denied-reason"]', what: 'denied reasons on the cluster page' });
      await other.goto('/clusters/new');
      await expect(other.getByTestId('access-refused')).toHaveText('Describing a cluster: needs the operator role.');
      await other.goto(`/clusters/${id}/edit`);
      await expect(other.getByTestId('access-refused')).toHaveText('Editing a cluster: needs the operator role.');
      await other.goto(`/clusters/${id}/add-nodes`);
      await expect(other.getByTestId('access-refused')).toHaveText('Adding nodes: needs the operator role.');
      expect(await status(other, 'clusters.delete', { data: { clusterId: id } })).toBe(403);
    }
  }
});
