import { expect, test } from '@playwright/test';
import { E2E_ADMIN_PASSWORD } from '../playwright.config';
import { login } from './support/login';

test('an unauthenticated visit goes to the login page; a wrong password shows an error; the right one returns to the page asked for', async ({ page, context }) => {
  await page.goto('/runs?x=1');
  await expect(page).toHaveURL(/\/login\?next=%2Fruns%3Fx%3D1$/);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password.');
  expect(await context.cookies()).toEqual([]);

  await page.getByLabel('Password').fill(E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL((url) => url.pathname + url.search === '/runs?x=1');
  const [cookie, ...rest] = await context.cookies();
  expect(rest).toEqual([]);
  expect(cookie).toMatchObject({ name: 'kxms_session', httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

test('a next parameter pointing at another site lands on the home page instead', async ({ page, baseURL }) => {
  await page.goto('/login?next=%2F%2Fevil.example%2Fx');
  await page.getByLabel('Password').fill(E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByTestId('server-version')).toHaveText(/^\d+\.\d+\.\d+$/);
});

test('after logout the session is gone for pages and tRPC alike', async ({ page }) => {
  await login(page);
  // let the home page's own queries settle: after the logout they would answer 401 and send the page to /login themselves
  await page.waitForLoadState('networkidle');
  const out = await page.request.post('/api/trpc/auth.logout', { headers: { 'x-kubexms-csrf': '1', 'content-type': 'application/json' }, data: {} });
  expect(out.status()).toBe(200);
  expect((await page.request.get('/api/trpc/system.info')).status()).toBe(401);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
});
