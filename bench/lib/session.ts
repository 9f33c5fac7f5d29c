import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaveIdleHostGroup } from '../light-hosts/cpu-group';
import { isOurSshd, stopAll } from '../light-hosts/stop';
import type { Inventory, LightHost } from '../light-hosts/state';
import { DEFAULT_PORT, inventoryPath, readInventory } from '../light-hosts/state';
import { up } from '../light-hosts/up';

let startedByUs = false;
let dir: string | null = null;

async function running(): Promise<Inventory | null> {
  if (!existsSync(inventoryPath)) return null;
  const inv = await readInventory();
  return inv.sshds.every((s) => isOurSshd(s.pid, s.config)) ? inv : null;
}

/** Reuses running light hosts when there are enough (same addresses-per-sshd), else starts them; they are stopped by releaseHosts only if started here. */
export async function ensureHosts(count: number, perSshd = 1): Promise<{ hosts: LightHost[]; clientKey: Buffer }> {
  leaveIdleHostGroup();
  let inv = await running();
  if (!inv || inv.hosts.length < count || inv.perSshd !== perSshd) {
    process.stderr.write(`starting ${count} light hosts (${perSshd} address(es) per sshd)…\n`);
    inv = await up(count, perSshd, inv?.port ?? DEFAULT_PORT);
    startedByUs = true;
  }
  return { hosts: inv.hosts.slice(0, count), clientKey: await readFile(inv.clientKey) };
}

export async function workDir(): Promise<string> {
  dir ??= await mkdtemp(join(tmpdir(), 'kx-bench-'));
  return dir;
}

export async function releaseHosts(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
  if (startedByUs && !process.argv.includes('--keep-hosts')) await stopAll();
  startedByUs = false;
}
