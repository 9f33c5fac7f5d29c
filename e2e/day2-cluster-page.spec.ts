import { expect, test, type Page } from '@playwright/test';
import { labHosts, type LabHost } from './hosts/fixture';
import { createClusterApi, labSpec, runCells, trpc, uniqueName, waitRunEnded } from './support/dashboard';
import { expectAccessible } from './support/axe';
import { login } from './support/login';
import { signedIn } from './support/users';

let hosts: LabHost[];
test.beforeAll(async () => {
  hosts = await labHosts(2);
});

type Cluster = { version: number; spec: { hosts: Array<{ name: string; user: string; roles: string[]; hostKeyFingerprint?: string }> } };
const SECTIONS = ['section[aria-labelledby="status-h"]', 'section[aria-labelledby="kubeconfig-h"]', 'section[aria-labelledby="remove-h"]'];

async function lightAndDark(page: Page, what: string, include?: string) {
  await expectAccessible(page, { what: `${what}, light`, ...(include ? { include } : {}) });
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expectAccessible(page, { what: `${what}, dark`, ...(include ? { include } : {}) });
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
}

test('add nodes from the cluster page: a new kxuser host is tested, its key accepted, given roles; the plan and the run touch it alone', async ({ page }) => {
  const [first, added] = [hosts[0]!, hosts[1]!];
  await login(page);
  const clusterId = await createClusterApi(page, labSpec(uniqueName('addnodes'), [first]));
  await page.goto(`/clusters/${clusterId}`);
  await page.getByRole('button', { name: 'Add nodes' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${clusterId}/add-nodes$`));
  await expect(page.getByText(`The cluster has 1 host (${first.name})`)).toBeVisible();

  // the wizard's hosts table: this host signs in with its own password (the cluster has no default credentials)
  await expect(page.getByTestId('fixed-defaults')).toHaveText(/no default credentials/);
  await page.locator('[name="hosts.0.name"]').fill(added.name);
  await page.locator('[name="hosts.0.address"]').fill(added.address);
  await page.locator('[name="hosts.0.user"]').fill('kxuser');
  await page.locator('[name="hosts.0.auth.type"]').selectOption('password');
  const detail = page.getByTestId('host-detail');
  await detail.getByLabel('SSH password').fill(added.users.kxuser.password);
  await detail.getByLabel('sudo password').fill(added.users.kxuser.password);
  // a new host without an accepted key is not planned or saved
  await page.getByRole('button', { name: /Review plan/ }).click();
  await expect(page.getByText(`Accept the host key of ${added.name} first`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add 1 node and run addNodes' })).toBeDisabled();
  await page.getByRole('button', { name: /New hosts/ }).click();

  await page.getByRole('button', { name: `Test connection to host 1 (${added.name})` }).click();
  const status = page.getByTestId('status-0');
  await expect(status).toContainText('accept this host key first');
  await expect(status.getByRole('button', { name: 'Accept key' })).toHaveAttribute('data-fingerprint', added.hostKeyFingerprint);
  await status.getByRole('button', { name: 'Accept key' }).click();
  await expect(status).toContainText('Debian GNU/Linux 12');
  await expect(page.getByTestId('host-row-0')).toHaveAttribute('data-pinned', added.hostKeyFingerprint);
  await lightAndDark(page, 'add nodes, hosts');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel(`worker on ${added.name}`)).toBeChecked();
  await expect(page.getByLabel(`etcd on ${added.name}`)).not.toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Stop after').selectOption('preflight');
  const plan = page.getByTestId('review-plan');
  await expect(plan).toContainText('Preflight');
  const rows = await plan.locator('tbody tr:has(td)').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(rows.length).toBeGreaterThan(1);
  // the existing host only gives its facts (the clock skew check compares them); every other task runs on the new host alone
  expect(rows.filter(([, on]) => on !== added.name)).toEqual([['Gather host facts', `all 2: ${first.name}, ${added.name}`]]);
  await expect(page.getByTestId('existing-hosts-note')).toHaveText(/take part only in: Gather host facts \(/);
  await lightAndDark(page, 'add nodes, plan');

  await page.getByRole('button', { name: 'Add 1 node and run addNodes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = Number(new URL(page.url()).pathname.split('/').pop());
  await expect(page.getByText('addNodes (until preflight)')).toBeVisible();
  expect(await waitRunEnded(page, runId)).toBe('succeeded');
  const cells = await runCells(page, runId);
  const run = await trpc<{ plan: { modules: Array<{ tasks: Array<{ name: string; steps: Array<{ id: string }> }> }> } }>(page, 'runs.get', { runId });
  const factSteps = new Set(run.plan.modules.flatMap((m) => m.tasks).filter((t) => t.name === 'Gather host facts').flatMap((t) => t.steps.map((x) => x.id)));
  expect(cells.filter((c) => c.host === added.name).length).toBeGreaterThan(factSteps.size);
  expect(cells.filter((c) => c.host !== added.name).map((c) => [c.host, factSteps.has(c.stepId)])).toEqual([...factSteps].map(() => [first.name, true]));
  const c = await trpc<Cluster>(page, 'clusters.get', { clusterId });
  expect(c.spec.hosts.map((h) => [h.name, h.user, h.roles, h.hostKeyFingerprint])).toEqual([
    [first.name, 'root', ['etcd', 'control-plane', 'worker'], first.hostKeyFingerprint],
    [added.name, 'kxuser', ['worker'], added.hostKeyFingerprint],
  ]);
});

test('status, kubeconfig and remove nodes on the cluster page: no axe findings in light and dark; a wrong typed name is refused by the server', async ({ page }) => {
  await login(page);
  const name = uniqueName('day2page');
  const clusterId = await createClusterApi(page, labSpec(name, hosts));
  await page.goto(`/clusters/${clusterId}`);
  await expect(page.getByTestId('cluster-status')).toContainText('not read yet');
  await page.getByRole('button', { name: 'Refresh status' }).click();
  // the suite's hosts are shared: an earlier spec may have left containerd or etcd on them (never Kubernetes here)
  await expect(page.getByTestId('cluster-verdict')).toHaveText(/^(not installed|partially installed)$/, { timeout: 60_000 });
  for (const h of hosts) await expect(page.getByTestId(`status-host-${h.name}`)).toContainText('Debian GNU/Linux 12');

  await page.getByRole('button', { name: 'Download kubeconfig' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'has no kubeconfig yet' })).toBeVisible();

  const remove = page.getByTestId('remove-nodes');
  await remove.getByLabel(hosts[1]!.name).check();
  await remove.getByLabel(`Type ${name} to confirm`).fill(`${name}-typo`);
  const runsBefore = (await trpc<{ items: unknown[] }>(page, 'runs.list', { clusterId })).items.length;
  const before = await trpc<Cluster>(page, 'clusters.get', { clusterId });
  // the browser does not check the name: the server refuses it, on the field
  await remove.getByRole('button', { name: `Remove ${hosts[1]!.name}` }).click();
  await expect(remove.locator('[data-field-error="confirmName"]')).toHaveText(`type the cluster's name "${name}" to confirm removeNodes`);
  await expect(remove.getByLabel(`Type ${name} to confirm`)).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(new RegExp(`/clusters/${clusterId}$`));
  expect((await trpc<{ items: unknown[] }>(page, 'runs.list', { clusterId })).items.length).toBe(runsBefore);
  expect(await trpc<Cluster>(page, 'clusters.get', { clusterId })).toEqual(before);

  for (const s of SECTIONS) await lightAndDark(page, s, s);
});

test("a viewer's Remove nodes is disabled with the reason (the other day-2 actions: users-admin.spec.ts)", async ({ page, browser }) => {
  await login(page);
  const clusterId = await createClusterApi(page, labSpec(uniqueName('day2ro'), hosts));
  const username = uniqueName('viewer');
  const { password } = await trpc<{ password: string }>(page, 'users.create', { username, role: 'viewer' }, 'mutation');
  const v = await signedIn(browser, username, password);
  await v.goto(`/clusters/${clusterId}`);
  await v.getByTestId('remove-nodes').getByLabel(hosts[1]!.name).check();
  const button = v.getByRole('button', { name: `Remove ${hosts[1]!.name}`, exact: true });
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription('needs the operator role');
});

test('retrying a node removal asks for the cluster name again; Cancel starts nothing; the typed name starts the retry', async ({ page }) => {
  await login(page);
  const name = uniqueName('reremove');
  const spec = labSpec(name, [hosts[0]!]);
  // a worker whose key was never accepted: the removal fails on it at once, and touches no other host
  const ghost = { ...spec.hosts[0]!, name: 'ghost', address: '198.51.100.251', roles: ['worker' as const], hostKeyFingerprint: undefined };
  const clusterId = await createClusterApi(page, { ...spec, hosts: [...spec.hosts, ghost] });
  const { runId } = await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline: 'removeNodes', nodes: ['ghost'], confirmName: name }, 'mutation');
  expect(await waitRunEnded(page, runId)).toBe('failed');
  const runsBefore = (await trpc<{ items: unknown[] }>(page, 'runs.list', { clusterId })).items.length;

  await page.goto(`/runs/${runId}`);
  await page.getByTestId('run-actions').getByRole('button', { name: 'Retry' }).click();
  const dialog = page.getByRole('dialog', { name: `Retry: removeNodes on ${name}?` });
  await expect(dialog).toContainText('nodes ghost');
  const confirm = dialog.getByRole('button', { name: 'Retry' });
  await expect(confirm).toBeDisabled();
  await expectAccessible(page, { what: 'repeat confirmation', include: '[data-testid="repeat-confirm"]' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await trpc<{ items: unknown[] }>(page, 'runs.list', { clusterId })).items.length).toBe(runsBefore);

  await page.getByTestId('run-actions').getByRole('button', { name: 'Rerun failed hosts' }).click();
  await page.getByLabel(`Type ${name} to confirm`).fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Rerun failed hosts' }).click();
  await page.waitForURL((u) => /^\/runs\/\d+$/.test(u.pathname) && u.pathname !== `/runs/${runId}`);
  const next = Number(new URL(page.url()).pathname.split('/').pop());
  const child = await trpc<{ run: { parentRunId: number; pipeline: string; options: { nodes?: string[] } } }>(page, 'runs.get', { runId: next });
  expect([child.run.parentRunId, child.run.pipeline, child.run.options.nodes]).toEqual([runId, 'removeNodes', ['ghost']]);
  await expect(page.getByText(`rerun of the failed hosts of #${runId}`)).toBeVisible();
});
