import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { login } from '../support/login';
import { exited, REPO_ROOT } from '../support/server-process';
import { demoLabDir, SANDBOX_INDICES, sandboxHostDir, sandboxNspawnPids, sandboxScript } from './sandbox';

// Runs as root on the lab machine (CI does): the demo boots its own sandbox hosts n21..n23 beside the test lab.
const FINAL = ['succeeded', 'skipped', 'failed', 'cancelled'];
const READY = /kubexms demo ready: (http:\/\/\S+) \(login: admin \/ (\S+)\)/;
const sandboxNames = SANDBOX_INDICES.map((i) => `n${i}`);

const bridgeExists = () => {
  try {
    execFileSync('ip', ['link', 'show', 'br-kxlab'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== '' && readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
};
/** systemd-nspawn processes of this machine that boot a sandbox host (by machine name or the demo's state dir) */
const demoNspawns = () => {
  let pids: number[] = [];
  try {
    pids = execFileSync('pgrep', ['-x', 'systemd-nspawn'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.some((a) => SANDBOX_INDICES.some((i) => a.startsWith(sandboxHostDir(i)) || a === `--machine=n${i}`));
    } catch {
      return false;
    }
  });
};

async function cellsByHost(page: Page): Promise<Map<string, string[]>> {
  const cells = await page.getByTestId('run-grid').locator('[data-host][data-status]').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-host') ?? '', e.getAttribute('data-status') ?? ''] as const),
  );
  const out = new Map<string, string[]>();
  for (const [h, s] of cells) out.set(h, [...(out.get(h) ?? []), s]);
  return out;
}

test('npm run demo: log in, preflight the sandbox cluster on three real hosts, Ctrl-C leaves nothing behind', async ({ browser }) => {
  test.setTimeout(240_000);
  expect(sandboxNspawnPids(), 'sandbox hosts already run (a demo?): stop them with npm run demo -- down').toEqual([]);
  const bridgeBefore = bridgeExists();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kubexms-demo-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', KUBEXMS_DATA_DIR: dataDir, KUBEXMS_ADMIN_PASSWORD: '' };
  const demo: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'e2e/demo/demo.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let dashboardPid = 0;
  demo.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  demo.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  try {
    const [, url, password] = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 180 s:\n${out}`)), 180_000);
      demo.stdout?.on('data', () => {
        const m = READY.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      });
      demo.once('exit', (code) => reject(new Error(`the demo exited with ${code} before ready:\n${out}`)));
    });
    const state = JSON.parse(readFileSync(path.join(demoLabDir, 'demo.json'), 'utf8')) as { clusterId: number; nspawnPids: number[]; dashboardPid: number };
    expect(state.nspawnPids).toHaveLength(3);
    dashboardPid = state.dashboardPid;

    const context = await browser.newContext({ baseURL: url });
    const page = await context.newPage();
    await login(page, { password: password! });
    await page.goto(`/clusters/${state.clusterId}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('sandbox');
    await page.getByRole('button', { name: /preflight/i }).click();
    await expect(page).toHaveURL(/\/runs\/\d+/);
    await expect(page.getByTestId('run-grid')).toBeVisible();
    await expect.poll(async () => {
      const byHost = await cellsByHost(page);
      return sandboxNames.every((h) => (byHost.get(h)?.length ?? 0) > 0 && byHost.get(h)!.every((s) => FINAL.includes(s)));
    }, { timeout: 90_000 }).toBe(true);
    await page.getByTestId('run-grid').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const byHost = await cellsByHost(page);
    for (const h of sandboxNames) expect(byHost.get(h), `cells of ${h}`).toEqual(expect.arrayContaining(['succeeded']));
    const notPassed = (h: string) => byHost.get(h)!.filter((s) => s !== 'succeeded' && s !== 'skipped');
    for (const h of sandboxNames) expect(notPassed(h), `${h}: every preflight check passes on the sandbox`).toEqual([]);
    await context.close();

    demo.kill('SIGINT');
    expect(await Promise.race([exited(demo), new Promise((r) => setTimeout(() => r('timeout'), 60_000))]), out).toBe(0);
    expect(out).toContain('demo: stopped; nothing left running');
    for (const pid of [...state.nspawnPids, state.dashboardPid]) expect(alive(pid), `process ${pid} left running`).toBe(false);
    expect(demoNspawns()).toEqual([]);
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '');
    expect(mounts.filter((m) => SANDBOX_INDICES.some((i) => m.startsWith(sandboxHostDir(i))))).toEqual([]);
    expect(bridgeExists(), bridgeBefore ? 'the lab bridge must stay for the test hosts' : 'the bridge the demo made must be gone').toBe(bridgeBefore);
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    for (const n of sandboxNames) expect(links).not.toContain(`vb-${n}@`);
    const names = sandboxNames.flatMap((n, i) => [...(i ? ['-o'] : []), '-name', `kxlab-${n}`, '-o', '-name', `kxlab-*-${n}`]);
    const cgroups = spawnSync('find', ['/sys/fs/cgroup', '-maxdepth', '5', '-type', 'd', '(', ...names, ')'], { encoding: 'utf8' }).stdout;
    expect(cgroups.trim(), 'per-host cgroups left behind').toBe('');
  } finally {
    if (demo.exitCode === null && demo.signalCode === null) {
      demo.kill('SIGINT');
      await Promise.race([exited(demo), new Promise((r) => setTimeout(r, 60_000))]);
      if (demo.exitCode === null) demo.kill('SIGKILL');
    }
    if (dashboardPid && alive(dashboardPid)) process.kill(dashboardPid, 'SIGTERM');
    if (sandboxNspawnPids().length > 0) await sandboxScript(['down']);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
