import { expect, test, type Locator, type Page } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { COLOUR_RULES, expectAccessible, expectStatusInWords } from './support/axe';
import { trpc, waitRunEnded } from './support/dashboard';
import { login } from './support/login';
import { buildRealState, createLiveCluster, silentSshHost, startLiveRun, type RealState } from './support/real-state';

// Every page a person touches, in light and in dark mode: axe (WCAG 2.1 A/AA) finds nothing serious or critical,
// and no status is told by colour alone. The run pages show real runs on lab hosts. Each page is scanned with every
// WCAG rule in light mode, then switched to dark mode (same DOM) and scanned again with the rules colours decide.
let hosts: LabHost[];
let state: RealState;
let liveClusterId: number;
let silent: Awaited<ReturnType<typeof silentSshHost>>;

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  [hosts, silent] = await Promise.all([labHosts(3), silentSshHost()]);
  const page = await browser.newPage();
  await login(page);
  state = await buildRealState(page, hosts);
  liveClusterId = await createLiveCluster(page, hosts, silent.port);
  await page.close();
});
test.afterAll(async () => { await silent?.close(); });

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const isDark = (on: boolean) => (on ? /\bdark\b/ : /^(?!.*\bdark\b)/);

test('every page, in light and dark mode, has no serious or critical axe finding and tells status in words', async ({ page }) => {
  test.setTimeout(300_000);
  const crashes: string[] = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  const theme = async (dark: boolean) => {
    await page.getByRole('button', { name: dark ? 'Switch to dark mode' : 'Switch to light mode' }).click();
    await expect(page.locator('html')).toHaveClass(isDark(dark));
  };
  const light = async (what: string) => {
    await expect(page.locator('html')).toHaveClass(isDark(false));
    await expectAccessible(page, { seriousOnly: true, soft: true, what: `${what} (light)` });
    await expectStatusInWords(page, what, true);
  };
  const dark = (what: string) => expectAccessible(page, { seriousOnly: true, soft: true, what: `${what} (dark)`, rules: COLOUR_RULES });
  const scan = async (what: string, ready: Locator) => {
    await expect(ready).toBeVisible();
    await light(what);
    await theme(true);
    await dark(what);
    await theme(false);
  };
  const visit = async (path: string, what: string, ready: (p: Page) => Locator) => {
    await page.goto(path);
    await scan(what, ready(page));
  };

  // logged out there is no theme button: the system preference decides
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/login');
    await expect(page.locator('html')).toHaveClass(isDark(scheme === 'dark'));
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await (scheme === 'light' ? light('login') : dark('login'));
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password-for-the-sweep');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /./ })).toBeVisible();
    await (scheme === 'light' ? light('login with an error') : dark('login with an error'));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await login(page);

  await visit('/', 'overview', (p) => p.getByTestId(`cluster-card-${state.name}`));
  await visit('/clusters/new', 'wizard', (p) => heading(p, 'New cluster'));
  await visit(`/clusters/${state.clusterId}/edit`, 'wizard editing a cluster', (p) => heading(p, `Edit ${state.name}`));
  const steps = page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button');
  const count = await steps.count();
  expect(count).toBeGreaterThanOrEqual(6);
  for (let i = 1; i < count; i++) {
    await steps.nth(i).click();
    await scan(`wizard step ${(await steps.nth(i).innerText()).trim()}`, steps.nth(i).and(page.locator('[aria-current="step"]')));
  }

  await visit(`/clusters/${state.clusterId}`, 'cluster page', (p) => p.getByTestId('cluster-verdict'));
  await expect(page.locator('section[aria-labelledby="etcd-h"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Kubeconfig' })).toBeVisible();
  // a modal dialog makes the theme button inert: open it once per theme
  for (const on of [false, true]) {
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByLabel(/Reset the hosts first/).check();
    await expect(page.getByRole('dialog')).toBeVisible();
    await (on ? dark('delete dialog') : light('delete dialog'));
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await theme(!on);
  }

  await visit(`/runs/${state.failedRun}`, 'failed run', (p) => p.getByTestId('cell-panel'));
  await expect(page.getByTestId('failure-summary')).toBeVisible();
  await visit(`/runs/${state.passedRun}`, 'succeeded run with its preflight report', (p) => p.getByTestId('preflight-report'));
  await visit(`/runs/${state.failedRun}?view=timeline`, 'run timeline', (p) => p.locator('[data-bar]').first());
  await visit(`/runs/compare?a=${state.failedRun}&b=${state.passedRun}`, 'run comparison', (p) => p.getByTestId('compare-table'));
  await visit('/runs', 'run history', (p) => p.getByTestId(`run-row-${state.failedRun}`));
  await visit(`/runs?cluster=${state.clusterId}&status=failed`, 'run history filtered', (p) => p.getByTestId(`run-row-${state.failedRun}`));
  await visit('/audit', 'audit log', (p) => heading(p, 'Audit log'));
  await visit('/users', 'users', (p) => p.getByTestId('user-admin'));
  await visit('/account', 'account', (p) => heading(p, 'Account'));
  await visit('/no/such/page', 'not found', (p) => heading(p, 'Page not found'));

  // a live run: the lab hosts are done, the silent host still connects
  const liveRun = await startLiveRun(page, liveClusterId, hosts.map((h) => h.name));
  await visit(`/runs/${liveRun}`, 'live run', (p) => p.getByRole('button', { name: 'Cancel run' }));
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('run-grid').locator('[data-status="succeeded"]').first()).toBeVisible();
  await trpc(page, 'runs.cancel', { runId: liveRun }, 'mutation');
  expect(await waitRunEnded(page, liveRun)).toBe('cancelled');
  await visit(`/runs/${liveRun}`, 'cancelled run', (p) => p.getByRole('button', { name: 'Retry' }));
  expect(crashes).toEqual([]);
});
