import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { labHosts, type LabHost } from '../hosts/fixture';
import { trpc, waitRunEnded } from '../support/dashboard';
import { login } from '../support/login';
import { buildRealState, createLiveCluster, silentSshHost, startLiveRun } from '../support/real-state';

// The README's screenshots from a real state: preflight runs on lab hosts (one failed, one passed), a status read,
// and a run kept live by a host that never answers. `npm run screenshots` writes them to docs/screenshots/.
const OUT = path.resolve(import.meta.dirname, '../../docs/screenshots');
const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

let hosts: LabHost[];
test.use({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
test.beforeAll(async () => { hosts = await labHosts(3); });

test('README screenshots', async ({ page }) => {
  test.setTimeout(300_000);
  const silent = await silentSshHost();
  try {
    await login(page);
    const state = await buildRealState(page, hosts, 'demo');

    await page.goto(`/clusters/${state.clusterId}/edit`);
    await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: /^2\. Hosts/ }).click();
    await expect(page.locator('[name="hosts.0.address"]')).toHaveValue(hosts[0]!.address);
    await shoot(page, 'wizard');

    await page.goto(`/clusters/${state.clusterId}`);
    await expect(page.getByTestId('cluster-verdict')).toBeVisible();
    await shoot(page, 'cluster');

    await page.goto(`/runs/${state.failedRun}`);
    await expect(page.getByTestId('failure-summary')).toBeVisible();
    await expect(page.getByTestId('cell-panel')).toBeVisible();
    await shoot(page, 'failure-summary');

    await page.goto(`/runs/compare?a=${state.failedRun}&b=${state.passedRun}`);
    await expect(page.getByTestId('compare-table')).toBeVisible();
    await shoot(page, 'compare');

    await page.goto(`/runs/${state.passedRun}?view=timeline`);
    await expect(page.locator('[data-bar]').first()).toBeVisible();
    await shoot(page, 'timeline');

    const liveClusterId = await createLiveCluster(page, hosts, silent.port, 'demo-live');
    const liveRun = await startLiveRun(page, liveClusterId, hosts.map((h) => h.name));
    await page.goto(`/runs/${liveRun}`);
    await expect(page.getByTestId('run-grid').locator('[data-status="succeeded"]').first()).toBeVisible();
    await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'running');
    await shoot(page, 'live-grid');
    await trpc(page, 'runs.cancel', { runId: liveRun }, 'mutation');
    await waitRunEnded(page, liveRun);
  } finally {
    await silent.close();
  }
});
