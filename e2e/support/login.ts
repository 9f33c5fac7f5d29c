import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN_PASSWORD } from '../../playwright.config';

/** Logs in through the real login page and waits until the app has landed on `next` (default "/"). */
export async function login(page: Page, opts: { next?: string; username?: string; password?: string } = {}): Promise<void> {
  const next = opts.next ?? '/';
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(opts.username ?? 'admin');
  await page.getByLabel('Password').fill(opts.password ?? E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL((url) => url.pathname + url.search === next);
}
