import { expect, test, type Page } from '@playwright/test';
import { COLOUR_RULES, expectAccessible } from './support/axe';
import { login } from './support/login';

const PASSWORD = 'reg-Secret-77';
const FILE = `apiVersion: kubekey.kubesphere.io/v1alpha2
kind: Cluster
metadata: {name: files}
spec:
  hosts:
  - {name: cp1, address: 203.0.113.21, user: root, password: ssh-pw-1}
  - {name: w1, address: 203.0.113.22, user: root, password: ssh-pw-2}
  roleGroups: {etcd: [cp1], control-plane: [cp1], worker: [w1]}
  controlPlaneEndpoint: {domain: lb.files.local, port: 6443}
  system: {ntpServers: [cp1], timezone: Europe/Berlin}
  kubernetes: {version: v1.31.4, maxPods: 180}
  registry:
    privateRegistry: reg.files.example
    auths: {"reg.files.example": {username: puller, password: ${PASSWORD}}}
`;

/** Every WCAG rule in light mode, then the real theme button's dark mode (same DOM) with the rules colours decide, and back. */
async function accessibleInBothThemes(page: Page, what: string) {
  await expectAccessible(page, { what: `${what} (light)` });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await expectAccessible(page, { what: `${what} (dark)`, rules: COLOUR_RULES });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
}

test('Review has a Files tab: what a create run writes on each host, secrets hidden; accessible', async ({ page }) => {
  await login(page, { next: '/clusters/new' });
  await page.getByLabel('KubeKey config file').setInputFiles({ name: 'files.yaml', mimeType: 'text/yaml', buffer: Buffer.from(FILE) });
  await expect(page.getByTestId('wizard-banner')).toContainText('Imported files.yaml: 2 hosts');
  // the most-changed KubeKey fields have inputs: the imported maxPods is there, changed here, and the Files tab follows
  await page.getByRole('button', { name: /^1\. Basics/ }).click();
  await expect(page.getByLabel('Max pods per node')).toHaveValue('180');
  await page.getByLabel('Max pods per node').fill('200');
  await expect(page.getByLabel('NTP servers (one per line; a host name here serves the others)')).toHaveValue('cp1');
  await accessibleInBothThemes(page, 'basics with tuning and system fields');
  await page.getByRole('button', { name: /^4\. Network/ }).click();
  // both encapsulations on is refused by the spec; the two selects say so at once, on this step, tied to the VXLAN select
  await expect(page.getByLabel('IP-in-IP')).toHaveValue('Always');
  await page.getByLabel('VXLAN').selectOption('CrossSubnet');
  const both = /^IP-in-IP and VXLAN cannot both be on: set one of ipipMode \/ vxlanMode to Never$/;
  await expect(page.locator('[data-field-error="network.calico.vxlanMode"]')).toHaveText(both);
  await expect(page.getByLabel('VXLAN')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('VXLAN')).toHaveAccessibleDescription(both);
  await accessibleInBothThemes(page, 'network with the calico fields and their error');
  await page.getByLabel('IP-in-IP').selectOption('Never');
  await expect(page.locator('[data-field-error="network.calico.vxlanMode"]')).toHaveCount(0);
  await expect(page.getByLabel('VXLAN')).toHaveAttribute('aria-invalid', 'false');
  await page.getByRole('button', { name: /^5\. Registry/ }).click();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: /^6\. Review/ }).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  await expect(page.getByRole('tab', { name: 'Files' })).toHaveAttribute('aria-selected', 'true');
  const files = page.getByTestId('review-files');
  await expect(files).toContainText('/etc/kubernetes/kubeadm-config.yaml');
  await files.getByText('/etc/kubernetes/kubeadm-config.yaml').click();
  await expect(files).toContainText('maxPods: 200');
  await expect(files).toContainText('certificateKey: made-at-run-time');
  await files.getByText('/etc/containerd/config.toml').click();
  await expect(files).toContainText('password = "<secret>"');
  await expect(files).toContainText('/etc/ssl/etcd/ssl/server-key.pem');
  await accessibleInBothThemes(page, 'review files tab, cp1');

  await page.getByLabel('Host', { exact: true }).selectOption('w1');
  await expect(files).toContainText('/etc/kubernetes/kubeadm-join.yaml');
  await expect(files).not.toContainText('/etc/systemd/system/etcd.service');
  await files.getByText('/etc/chrony/chrony.conf').click();
  await expect(files).toContainText('server');
  expect(await page.content()).not.toContain(PASSWORD);
  await page.getByRole('tab', { name: /KubeKey-style YAML/ }).click();
  await expect(page.getByTestId('review-yaml')).toContainText('maxPods: 200');
  await expect(page.getByTestId('review-yaml')).toContainText('vxlanMode: CrossSubnet');
});
