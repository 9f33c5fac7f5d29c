import { expect, type Locator, type Page } from '@playwright/test';
import { CSRF_HEADER } from '../../server/contracts/auth';
import type { ClusterSpecDraft, Role } from '../../server/contracts/cluster-spec';
import { DEFAULT_KUBERNETES_VERSION } from '../../server/contracts/versions';
import type { RunStatus } from '../../server/contracts/status';
import type { LabHost } from '../hosts/fixture';

/** A cluster name no other spec (or earlier run of this one) uses. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** Calls a tRPC procedure with the page's session, the way the web app does. */
export async function trpc<T>(page: Page, path: string, input: unknown, kind: 'query' | 'mutation' = 'query'): Promise<T> {
  const res = kind === 'query'
    ? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
    : await page.request.post(`/api/trpc/${path}`, { data: input, headers: { [CSRF_HEADER]: '1', origin: new URL(page.url()).origin } });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string; data?: { fieldErrors?: unknown } } };
  if (!res.ok() || !body.result) throw new Error(`${path}: ${res.status()} ${body.error?.message ?? ''} ${JSON.stringify(body.error?.data?.fieldErrors ?? '')}`);
  return body.result.data;
}

/** A spec for lab hosts: the first is etcd + control plane, all are workers; host keys pinned from the lab inventory. */
export function labSpec(name: string, hosts: readonly LabHost[], extra: Omit<Partial<ClusterSpecDraft>, 'name' | 'hosts'> = {}): ClusterSpecDraft {
  const rows: ClusterSpecDraft['hosts'] = hosts.map((h, i) => ({
    name: h.name, address: h.address, port: h.port, user: 'root',
    auth: { type: 'key' as const, privateKey: h.users.root.privateKey },
    roles: i === 0 ? ['etcd', 'control-plane', 'worker'] as Role[] : ['worker'] as Role[],
    hostKeyFingerprint: h.hostKeyFingerprint,
  }));
  return { kubernetes: { version: DEFAULT_KUBERNETES_VERSION }, ...extra, name, hosts: rows };
}

export async function createClusterApi(page: Page, spec: ClusterSpecDraft): Promise<number> {
  return (await trpc<{ id: number }>(page, 'clusters.create', { spec }, 'mutation')).id;
}

export async function runStatus(page: Page, runId: number): Promise<RunStatus> {
  return (await trpc<{ run: { status: RunStatus } }>(page, 'runs.get', { runId })).run.status;
}

/** Waits (through the API, not the page) until the run has ended; returns its status. */
export async function waitRunEnded(page: Page, runId: number, timeout = 120_000): Promise<RunStatus> {
  let status: RunStatus = 'queued';
  await expect.poll(async () => (status = await runStatus(page, runId)), { timeout, intervals: [500, 1000] }).not.toMatch(/^(queued|running)$/);
  return status;
}

/** data-status of every cell of the run grid by "step|host". The grid is virtualized: fine for runs that fit on screen. */
export async function gridStatuses(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('run-grid').locator('[data-status]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [`${e.getAttribute('data-step-id')}|${e.getAttribute('data-host')}`, e.getAttribute('data-status') ?? ''])));
}

export const runIdOf = (page: Page) => Number(new URL(page.url()).pathname.split('/').pop());

export async function shot(page: Page, name: string, opts: { height?: number } = {}): Promise<void> {
  const size = page.viewportSize();
  const clip = opts.height && size ? { x: 0, y: 0, width: size.width, height: Math.min(opts.height, size.height) } : undefined;
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false, ...(clip ? { clip } : {}) });
}

/** One part of the page (README screenshots stay small): `test-results/screenshots/<name>.png`. */
export async function shotOf(part: Locator, name: string): Promise<void> {
  await part.screenshot({ path: `test-results/screenshots/${name}.png`, animations: 'disabled' });
}

/** Moves the keyboard focus down the (virtualized) grid until a cell of a step whose id starts with `prefix`. */
export async function focusStep(page: Page, prefix: string): Promise<void> {
  const grid = page.getByTestId('run-grid');
  await grid.locator('[data-cell]').first().focus();
  for (let i = 0; i < 300; i++) {
    const { id, cell } = await page.evaluate(() => ({ id: document.activeElement?.getAttribute('data-step-id') ?? '', cell: document.activeElement?.getAttribute('data-cell') ?? '' }));
    if (id.startsWith(prefix)) return;
    await page.keyboard.press('ArrowDown');
    // the grid scrolls first and focuses the cell once it is rendered
    const moved = await page.waitForFunction((prev) => (document.activeElement?.getAttribute('data-cell') ?? prev) !== prev, cell, { timeout: 10_000 }).then(() => true, () => false);
    if (!moved) throw new Error(`focus stayed on ${id} (${cell}) in the grid: ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 300))}`);
  }
  throw new Error(`no grid row with a step id starting "${prefix}"`);
}

type Cells = { cells: Array<{ stepId: string; host: string; status: string }> };
export const runCells = async (page: Page, runId: number) => (await trpc<Cells>(page, 'runs.get', { runId })).cells;
