import { expect, test } from '@playwright/test';
import { login } from './support/login';

test('the page renders a tRPC query and holds a live socket.io connection over a real websocket', async ({ page }) => {
  const wsUrls: string[] = [];
  page.on('websocket', (ws) => wsUrls.push(ws.url()));

  await login(page);
  await expect(page.getByTestId('server-version')).toHaveText(/^\d+\.\d+\.\d+$/);
  const state = page.getByTestId('socket-state');
  await expect(state).toHaveAttribute('data-transport', 'websocket');
  await expect(state).toContainText('live');
  expect(wsUrls.some((u) => u.includes('/socket.io/') && u.includes('transport=websocket'))).toBe(true);

  const clock = page.getByTestId('server-clock');
  await expect(clock).not.toHaveText('…');
  const first = await clock.textContent();
  await expect(clock).not.toHaveText(first ?? '');
});

test('GET /healthz answers ok; tRPC answers 401 without a session and 404 for unknown paths with one', async ({ request, page }) => {
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.text()).toBe('ok');
  expect((await request.get('/api/trpc/nope.nothing')).status()).toBe(401);
  await login(page);
  expect((await page.request.get('/api/trpc/nope.nothing')).status()).toBe(404);
});
