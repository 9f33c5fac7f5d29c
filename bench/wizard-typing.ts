import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { loginCookie } from '../e2e/support/http-session';
import { startServer, tempDataDir } from '../e2e/support/server-process';
import { fmt, numberList, parseFlags, percentile, table } from './lib/stats';

// Typing latency in the wizard's hosts table, measured in Chromium with the Event Timing API (what INP uses):
// from the key press to the next frame painted after the change, per key. Also: pasting, bulk set and save.
const flags = parseFlags(process.argv.slice(2));
const sizes = numberList(flags.get('hosts'), [1, 50, 200, 500]);
const keys = Number(flags.get('keys') ?? 40);
const PASSWORD = 'bench-admin-password-1';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbenchnotarealkey\n-----END OPENSSH PRIVATE KEY-----\n';

if (!existsSync(new URL('../.next/BUILD_ID', import.meta.url))) throw new Error('wizard-typing needs a production build of the web app (npm run build)');
const server = await startServer({ dataDir: tempDataDir('kx-bench-wizard-'), env: { KUBEXMS_ADMIN_PASSWORD: PASSWORD, ...(flags.has('port') ? { PORT: String(flags.get('port')) } : {}) } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
});

const eventTiming = () => {
  const w = window as unknown as { kxLatencies: number[] };
  w.kxLatencies = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEventTiming & { interactionId?: number }>) if (e.name === 'keydown' && e.interactionId) w.kxLatencies.push(e.duration);
  }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
};
const latencies = (page: Page) => page.evaluate(() => (window as unknown as { kxLatencies: number[] }).kxLatencies.splice(0));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const rows: string[][] = [];
try {
  const cookie = await loginCookie(server.url, PASSWORD);
  for (const n of sizes) {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1100 } });
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name: name!, value: value!, url: server.url }]);
    const page = await context.newPage();
    await page.addInitScript(eventTiming);
    await page.goto(`${server.url}/clusters/new`);
    await page.getByLabel('Cluster name *').fill(`bench-${n}-${Date.now().toString(36)}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('default-credentials').getByLabel(/Private key \(OpenSSH or PEM\)/).fill(KEY);
    await page.getByText('Paste many hosts').click();
    await page.getByLabel(/One per line/).fill(Array.from({ length: n }, (_, i) => `h${i + 1} 10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`).join('\n'));
    const paste = await timed(async () => {
      await page.getByRole('button', { name: 'Add these hosts' }).click();
      await page.locator(`[name="hosts.${n - 1}.name"], [data-testid="host-row-0"]`).first().waitFor();
      await page.getByText(`${n} host${n === 1 ? '' : 's'}`).first().waitFor();
    });
    await page.getByLabel('etcd on host 1 (h1)').check();
    await page.getByLabel('control-plane on host 1 (h1)').check();
    const cell = page.locator('[name="hosts.0.labels"]');
    await cell.click();
    await latencies(page);
    await page.keyboard.type('zone=abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, keys), { delay: 60 });
    await page.waitForTimeout(500);
    const typed = await latencies(page);
    // keys faster than 16 ms are not reported by Event Timing: they count as 16
    const all = [...typed, ...Array.from({ length: Math.max(0, keys - typed.length) }, () => 16)];
    const rendered = await page.locator('tr[data-testid^="host-row-"]').count();
    await page.getByLabel('Select all hosts').check();
    const bulk = await timed(async () => {
      await page.getByLabel('User for the selected hosts').fill('deploy');
      await page.getByRole('button', { name: 'Set user' }).click();
      await page.locator('[name="hosts.0.user"][value="deploy"]').waitFor();
    });
    // --screenshot=PATH: the table as the README shows it (the largest size, rows selected)
    if (flags.has('screenshot') && n === Math.max(...sizes)) await page.screenshot({ path: flags.get('screenshot')! });
    await page.getByRole('button', { name: /^6\. Review/ }).click();
    const save = await timed(async () => {
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/clusters\/\d+$/, { timeout: 60_000 });
    });
    rows.push([String(n), String(rendered), fmt(percentile(all, 50), 0), fmt(percentile(all, 95), 0), fmt(Math.max(...all), 0), String(typed.length), fmt(paste, 0), fmt(bulk, 0), fmt(save, 0)]);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`\nWizard hosts table: typing ${keys} keys into a row's labels cell (60 ms apart), Chromium Event Timing (key → next paint)\n`);
console.log(table(['hosts', 'rows in DOM', 'key p50 ms', 'key p95 ms', 'key max ms', 'keys ≥16 ms', 'paste ms', 'bulk user ms', 'save ms'], rows));
