import { expect, test } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { createClusterApi, labSpec, trpc, uniqueName } from './support/dashboard';
import { expectAccessible } from './support/axe';
import { login } from './support/login';

let hosts: LabHost[];
test.beforeAll(async () => {
  hosts = await labHosts(1);
});

test('the cluster page has an etcd section: actions, backups, schedule kept across reloads, certificates; no axe findings', async ({ page }) => {
  await login(page);
  const clusterId = await createClusterApi(page, labSpec(uniqueName('etcd'), hosts));
  await page.goto(`/clusters/${clusterId}`);
  const section = page.locator('section[aria-labelledby="etcd-h"]');
  for (const name of ['Back up now', 'Renew certificates', 'Roll etcd changes']) await expect(section.getByRole('button', { name })).toBeEnabled();
  await expect(section.getByText('No backups yet.')).toBeVisible();
  await expect(section.getByText(/No etcd certificates issued yet/)).toBeVisible();
  await expectAccessible(page, { include: 'section[aria-labelledby="etcd-h"]' });

  await section.getByLabel('Scheduled backups').check();
  await section.getByLabel('every').fill('12');
  await section.getByLabel('keep last').fill('4');
  await section.getByRole('button', { name: 'Save schedule' }).click();
  await expect(section.getByText('Schedule saved')).toBeVisible();
  const saved = await trpc<{ enabled: boolean; everyMinutes: number; keepLast: number; maxAgeDays: number }>(page, 'etcd.schedule', { clusterId });
  expect(saved).toMatchObject({ enabled: true, everyMinutes: 720, keepLast: 4, maxAgeDays: 30 });
  await page.reload();
  await expect(section.getByLabel('Scheduled backups')).toBeChecked();
  await expect(section.getByLabel('every')).toHaveValue('12');
});
