import { expect, type Browser, type Page } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config';
import { CSRF_HEADER } from '../../server/contracts/auth';
import { DEFAULT_KUBERNETES_VERSION } from '../../server/contracts/versions';
import { trpc, uniqueName } from './dashboard';

export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;

/** A cluster (not a draft) whose one host cannot be reached: its runs fail fast, its page has every action. */
export async function unreachableCluster(page: Page, prefix: string): Promise<{ id: number; name: string }> {
  const name = uniqueName(prefix);
  const spec = {
    kubernetes: { version: DEFAULT_KUBERNETES_VERSION }, name,
    hosts: [{ name: 'n1', address: '127.0.0.99', port: 1, user: 'root', auth: { type: 'password', password: 'unused-password' }, roles: ['etcd', 'control-plane', 'worker'] }],
  };
  const { id } = await trpc<{ id: number }>(page, 'clusters.create', { spec }, 'mutation');
  return { id, name };
}

/** A browser of its own for another user: signed in through the API, the one-time password replaced. */
export async function signedIn(browser: Browser, username: string, oneTime: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const headers = { [CSRF_HEADER]: '1', origin: E2E_ORIGIN };
  expect((await page.request.post('/api/trpc/auth.login', { data: { username, password: oneTime }, headers })).status()).toBe(200);
  expect((await page.request.post('/api/trpc/auth.changePassword', { data: { current: oneTime, next: `${username}-pw-1` }, headers })).status()).toBe(200);
  return page;
}
