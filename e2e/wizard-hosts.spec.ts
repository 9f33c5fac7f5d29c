import { expect, test, type Page } from '@playwright/test';
import { labHosts } from './hosts/fixture';
import { expectAccessible } from './support/axe';
import { runIdOf, uniqueName, waitRunEnded } from './support/dashboard';
import { login } from './support/login';

test.use({ viewport: { width: 1600, height: 1100 } });

async function toHosts(page: Page, name: string) {
  await login(page, { next: '/clusters/new' });
  await page.getByLabel('Cluster name *').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
}

test('default credentials: hosts inherit a password login with sudo, one host overrides with a key file; tests, a preflight as kxuser and the edit view agree', async ({ page }) => {
  test.setTimeout(240_000);
  const hosts = await labHosts(3);
  const name = uniqueName('creds');
  await toHosts(page, name);
  const defaults = page.getByTestId('default-credentials');
  await defaults.getByLabel('User').fill('kxuser');
  await defaults.getByLabel('Sign in with').selectOption('password');
  await defaults.getByLabel('SSH password').fill(hosts[0]!.users.kxuser.password);
  await defaults.getByLabel('sudo password').fill(hosts[0]!.users.kxuser.password);
  await page.getByText('Paste many hosts').click();
  await page.getByLabel(/One per line/).fill(hosts.map((h) => `${h.name} ${h.address}`).join('\n'));
  await page.getByRole('button', { name: 'Add these hosts' }).click();
  await expect(page.locator('tr[data-testid^="host-row-"]')).toHaveCount(3);

  // the third host signs in as root with its own key, read from a file in the browser
  await page.locator('[name="hosts.2.user"]').fill('root');
  await page.locator('[name="hosts.2.auth.type"]').selectOption('key');
  const detail = page.getByTestId('host-detail');
  await expect(detail).toContainText(`Host 3 (${hosts[2]!.name})`);
  await detail.getByLabel('Private key file').setInputFiles({ name: 'id_ed25519.pub', mimeType: 'text/plain', buffer: Buffer.from('ssh-ed25519 AAAA lab') });
  await expect(detail.getByRole('alert')).toContainText('not a PEM or OpenSSH private key');
  await detail.getByLabel('Private key file').setInputFiles({ name: 'id_ed25519', mimeType: 'text/plain', buffer: Buffer.from(hosts[2]!.users.root.privateKey) });
  await expect(detail.locator('[name="hosts.2.auth.privateKey"]')).toHaveValue(/BEGIN OPENSSH PRIVATE KEY/);

  await page.getByRole('button', { name: 'Test all connections' }).click();
  // password logins wait for the key to be accepted; the key login reads the facts at once
  for (const i of [0, 1]) await expect(page.getByTestId(`status-${i}`)).toContainText('accept this host key first');
  await expect(page.getByTestId('status-2')).toContainText('Debian GNU/Linux 12');
  // axe with everything the step shows: default credentials, Accept buttons, the bulk bar, a host's details
  await page.getByLabel('Select all hosts').check();
  await expectAccessible(page, { include: 'section[aria-labelledby="hosts-title"]', what: 'hosts step, light' });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, { include: 'section[aria-labelledby="hosts-title"]', what: 'hosts step, dark' });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await page.getByLabel('Select all hosts').uncheck();
  await page.getByRole('button', { name: 'Accept 3 host keys' }).click();
  for (const [i, h] of hosts.entries()) {
    await expect(page.getByTestId(`host-row-${i}`)).toHaveAttribute('data-pinned', h.hostKeyFingerprint);
    await expect(page.getByTestId(`status-${i}`)).toContainText('Debian GNU/Linux 12');
  }

  // roles in bulk: every host a worker, the first one etcd and control plane too
  await page.getByLabel('Select all hosts').check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('3 selected');
  await bar.getByLabel('Role for the selected hosts').selectOption('worker');
  await bar.getByRole('button', { name: 'Add role' }).click();
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await page.getByLabel(`etcd on host 1 (${hosts[0]!.name})`).check();
  await page.getByLabel(`control-plane on host 1 (${hosts[0]!.name})`).check();

  await page.getByRole('button', { name: /^6\. Review/ }).click();
  const yaml = page.getByTestId('review-yaml');
  await expect(yaml).toContainText(`name: ${hosts[2]!.name}`);
  const text = await yaml.innerText();
  expect(text.match(/user: kxuser/g)?.length).toBe(2);
  expect(text).toContain('user: root');
  expect(text).not.toContain(hosts[0]!.users.kxuser.password);
  await page.getByRole('button', { name: 'Save and run preflight only' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  // the runner resolved the inherited login and sudo password: kxuser's preflight passes on both hosts that inherit it
  expect(await waitRunEnded(page, runIdOf(page))).toBe('succeeded');

  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: /^2\. Hosts/ }).click();
  await expect(defaults.getByLabel('User')).toHaveValue('kxuser');
  await expect(defaults.getByLabel('SSH password')).toHaveValue('');
  await expect(defaults).toContainText('set — leave empty to keep');
  await expect(page.locator('[name="hosts.0.auth.type"]')).toHaveValue('default');
  await expect(page.locator('[name="hosts.2.auth.type"]')).toHaveValue('key');
  expect(await page.content()).not.toContain(hosts[0]!.users.kxuser.password);
});

const FAKE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotarealkey\n-----END OPENSSH PRIVATE KEY-----\n';

test('200 hosts: pasted into a virtualized table, edited by keyboard, bulk-set, an error reached from Review, saved', async ({ page }) => {
  test.setTimeout(180_000);
  const name = uniqueName('big');
  await toHosts(page, name);
  await page.getByTestId('default-credentials').getByLabel(/Private key \(OpenSSH or PEM\)/).fill(FAKE_KEY);
  const lines = Array.from({ length: 200 }, (_, i) => `h${i + 1} 10.1.${Math.floor(i / 200)}.${(i % 200) + 1}`);
  await page.getByText('Paste many hosts').click();
  await page.getByLabel(/One per line/).fill(lines.join('\n'));
  await page.getByRole('button', { name: 'Add these hosts' }).click();
  await expect(page.getByText('200 hosts', { exact: false }).first()).toBeVisible();
  const rendered = await page.locator('tr[data-testid^="host-row-"]').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);

  // keyboard: arrows and Enter move down the same column
  await page.locator('[name="hosts.0.name"]').click();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[name="hosts.1.name"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('[name="hosts.2.name"]')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('renamed');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('[name="hosts.1.name"]')).toBeFocused();
  await expect(page.locator('[name="hosts.2.name"]')).toHaveValue('renamed');

  // bulk: all hosts get a user, the worker role and a label; the first three become etcd and control plane
  await page.getByLabel('Select all hosts').check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('200 selected');
  await bar.getByLabel('User for the selected hosts').fill('deploy');
  await bar.getByRole('button', { name: 'Set user' }).click();
  await bar.getByLabel('Role for the selected hosts').selectOption('worker');
  await bar.getByRole('button', { name: 'Add role' }).click();
  await bar.getByLabel('Labels for the selected hosts (k=v, …)').fill('pool=big');
  await bar.getByRole('button', { name: 'Add labels' }).click();
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await page.getByLabel('Select host 1 (h1)').check();
  await page.getByLabel('Select host 3 (renamed)').click({ modifiers: ['Shift'] });
  await expect(bar).toContainText('3 selected');
  for (const role of ['etcd', 'control-plane']) {
    await bar.getByLabel('Role for the selected hosts').selectOption(role);
    await bar.getByRole('button', { name: 'Add role' }).click();
  }
  await expect(page.locator('[name="hosts.0.user"]')).toHaveValue('deploy');
  await expect(page.locator('[name="hosts.0.labels"]')).toHaveValue('pool=big');

  // a duplicate address far down the list: Review names it, a click scrolls the table to it
  const table = page.getByTestId('hosts-table');
  await table.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('[name="hosts.199.address"]').fill('10.1.0.1');
  await page.getByRole('button', { name: /^6\. Review/ }).click();
  const issues = page.getByTestId('review-issues');
  await issues.getByRole('button', { name: /Host 200 \(h200\): the address/ }).click();
  const far = page.locator('[name="hosts.199.address"]');
  await expect(far).toBeFocused();
  await expect(far).toHaveAttribute('aria-invalid', 'true');
  await far.fill('10.1.0.250');
  await expectAccessible(page, { include: '[data-testid="hosts-table"]', what: '200-host table, light' });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expectAccessible(page, { include: '[data-testid="hosts-table"]', what: '200-host table, dark' });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();

  await page.getByRole('button', { name: /^6\. Review/ }).click();
  await expect(page.getByTestId('review-issues')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/clusters\/\d+$/);
  const hostRows = page.locator('tr[data-testid^="cluster-host-"]');
  await expect(hostRows).toHaveCount(200);
  await expect(hostRows.nth(2)).toContainText('renamed');
  await expect(hostRows.nth(150)).toContainText('deploy');
});
