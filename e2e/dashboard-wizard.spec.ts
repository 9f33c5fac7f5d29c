import { expect, test } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { gridStatuses, runIdOf, shot, uniqueName, waitRunEnded } from './support/dashboard';
import { login } from './support/login';

let hosts: LabHost[];
test.beforeAll(async () => {
  test.setTimeout(300_000);
  hosts = await labHosts(3);
});
test.use({ viewport: { width: 1600, height: 1300 } });

test('a new user fills the wizard, fixes a field error, accepts host keys and runs a preflight that a second page follows live; a failed cell shows its error', async ({ page, context }) => {
  const name = uniqueName('wiz');
  await login(page, { next: '/clusters/new' });
  await expect(page.getByRole('heading', { name: 'New cluster' })).toBeVisible();

  // basics, with a name the server's schema refuses, then fixed
  const clusterName = page.getByLabel('Cluster name *');
  await clusterName.fill('My Cluster');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: /^1\. Basics/ }).click();
  await expect(page.locator('[data-field-error="name"]')).toContainText('lowercase');
  await expect(clusterName).toHaveAttribute('aria-invalid', 'true');
  await clusterName.fill(name);
  await expect(page.locator('[data-field-error="name"]')).toHaveCount(0);
  // a worker minimum above the lab hosts' memory makes the memory check fail on purpose
  await page.getByLabel('Memory MiB, worker').fill(String(1024 * 1024));
  await page.getByRole('button', { name: 'Next' }).click();

  // hosts: the cluster's default key, loaded from a file, then paste the three hosts (they use the default)
  await page.getByTestId('default-credentials').getByLabel('Private key file').setInputFiles({ name: 'id_ed25519', mimeType: 'text/plain', buffer: Buffer.from(hosts[0]!.users.root.privateKey) });
  await page.getByText('Paste many hosts').click();
  await page.getByLabel(/One per line/).fill(hosts.map((h) => `${h.name} ${h.address}`).join('\n'));
  await page.getByRole('button', { name: 'Add these hosts' }).click();
  await expect(page.locator('tr[data-testid^="host-row-"]')).toHaveCount(3);
  await page.getByRole('button', { name: 'Test all connections' }).click();
  for (const [i, h] of hosts.entries()) {
    const status = page.getByTestId(`status-${i}`);
    await expect(status).toContainText('Debian GNU/Linux 12');
    await expect(status).toContainText(/\d+ CPU · [\d.]+ GiB/);
    await expect(status.getByRole('button', { name: 'Accept key' })).toHaveAttribute('data-fingerprint', h.hostKeyFingerprint);
  }
  await shot(page, 'wizard-hosts');
  await page.getByRole('button', { name: 'Accept 3 host keys' }).click();
  for (const [i, h] of hosts.entries()) await expect(page.getByTestId(`host-row-${i}`)).toHaveAttribute('data-pinned', h.hostKeyFingerprint);

  // roles: the first host runs etcd and the control plane, every host is a worker
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(`etcd on ${hosts[0]!.name}`).check();
  await page.getByLabel(`control-plane on ${hosts[0]!.name}`).check();
  for (const h of hosts) await page.getByLabel(`worker on ${h.name}`).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Pod CIDR')).toHaveValue('10.233.64.0/18');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // review: the KubeKey-style YAML and the plan per host
  await expect(page.getByTestId('review-yaml')).toContainText(`name: ${name}`);
  for (const h of hosts) await expect(page.getByTestId('review-yaml')).toContainText(`hostKeyFingerprint: ${h.hostKeyFingerprint}`);
  await expect(page.getByTestId('review-plan').getByRole('row', { name: /^Memory/ })).toContainText(`all 3: ${hosts.map((h) => h.name).join(', ')}`);
  await shot(page, 'wizard-review');
  await page.getByRole('button', { name: 'Save and run preflight only' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(page);

  // a second page on the same run follows it to the end without a reload
  const second = await context.newPage();
  await second.goto(`/runs/${runId}`);
  await second.evaluate(() => { (window as unknown as { stayed: boolean }).stayed = true; });
  expect(await waitRunEnded(page, runId)).toBe('failed');
  for (const p of [page, second]) {
    await expect(p.getByTestId('run-summary')).toHaveAttribute('data-status', 'failed');
    await expect(p.getByTestId('count-pending')).toHaveAttribute('data-count', '0');
    await expect(p.getByTestId('count-running')).toHaveAttribute('data-count', '0');
  }
  expect(await second.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  const cells = Object.values(await gridStatuses(second));
  expect(cells.length).toBeGreaterThan(0);
  expect(cells.filter((s) => s === 'pending' || s === 'running')).toEqual([]);
  expect(await gridStatuses(second)).toEqual(await gridStatuses(page));

  // the failed memory check: its cell says why
  const failed = page.getByTestId('run-grid').locator(`[data-status="failed"][data-step="Check memory"][data-host="${hosts[1]!.name}"]`);
  await failed.click();
  const panel = page.getByTestId('cell-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading')).toContainText(`Check memory on ${hosts[1]!.name}`);
  await expect(panel.getByTestId('cell-error')).toContainText(/memory/i);
  await expect(panel.getByTestId('log-view')).toContainText(/memory/i);

  // keyboard: arrows move between cells, Enter opens one
  await failed.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator(':focus')).toHaveAttribute('data-host', hosts[2]!.name);
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading')).toContainText(`Check memory on ${hosts[2]!.name}`);
});

test('importing a KubeKey config fills in hosts, roles, network and registry', async ({ page }) => {
  await login(page, { next: '/clusters/new' });
  await page.getByLabel('KubeKey config file').setInputFiles('server/spec/fixtures/kubekey-sample.yaml');
  await expect(page.getByTestId('wizard-banner')).toContainText('Imported kubekey-sample.yaml: 5 hosts');
  await expect(page.locator('tr[data-testid^="host-row-"]')).toHaveCount(5);
  for (let i = 0; i < 5; i++) await expect(page.locator(`[name="hosts.${i}.name"]`)).toHaveValue(`node${i + 1}`);
  await expect(page.locator('[name="hosts.3.port"]')).toHaveValue('2222');
  await expect(page.locator('[name="hosts.0.user"]')).toHaveValue('ubuntu');
  await expect(page.locator('[name="hosts.0.auth.type"]')).toHaveValue('password');

  await page.getByRole('button', { name: /^3\. Roles/ }).click();
  const has = (role: string, host: string) => page.getByLabel(`${role} on ${host}`);
  for (const n of [1, 2, 3]) await expect(has('etcd', `node${n}`)).toBeChecked();
  for (const n of [4, 5]) await expect(has('etcd', `node${n}`)).not.toBeChecked();
  await expect(has('control-plane', 'node1')).toBeChecked();
  for (const n of [2, 3, 4, 5]) await expect(has('control-plane', `node${n}`)).not.toBeChecked();
  for (const n of [1, 2, 3, 4, 5]) await expect(has('worker', `node${n}`)).toBeChecked();

  await page.getByRole('button', { name: /^4\. Network/ }).click();
  await expect(page.getByLabel('Pod CIDR')).toHaveValue('10.233.64.0/18');
  await page.getByRole('button', { name: /^5\. Registry/ }).click();
  await expect(page.getByLabel('Registry mirrors (one URL per line)')).toHaveValue('https://mirror.example.com');
  await expect(page.getByLabel('Insecure registries (host[:port] per line)')).toHaveValue('dockerhub.kubekey.local:5000');

  // which host needs which secret, with the key file the file named; hosts naming the same file share one default key
  const secrets = page.getByTestId('secrets-to-enter');
  await expect(secrets).toContainText('Host 4 (node4): the private key — the file names /home/ops/keys/node4');
  await expect(secrets).toContainText('Host 3 (node3): the private key — the file names ~/.ssh/id_rsa');
  await expect(secrets).toContainText('Host 5 (node5): the private key — the file names ~/.ssh/id_rsa');
  await secrets.getByRole('button', { name: 'Enter one key for the 2 hosts that name ~/.ssh/id_rsa' }).click();
  for (const i of [2, 4]) await expect(page.locator(`[name="hosts.${i}.auth.type"]`)).toHaveValue('default');
  await expect(page.locator('[name="hosts.3.auth.type"]')).toHaveValue('key');
  await secrets.getByRole('button', { name: /Host 3 \(node3\): the private key \(the default credentials\)/ }).click();
  const defaultKey = page.locator('[name="hostDefaults.auth.privateKey"]');
  await expect(defaultKey).toBeFocused();
  await defaultKey.fill('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
  await expect(secrets).not.toContainText('node3');
  await expect(secrets).toContainText('node4');
});
