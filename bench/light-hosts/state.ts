import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const stateDir = process.env.KUBEXMS_BENCH_DIR ?? '/var/tmp/kubexms-bench';
export const hostsDir = join(stateDir, 'hosts');
export const keysDir = join(stateDir, 'hostkeys');
export const clientKeyPath = join(stateDir, 'client_ed25519');
export const inventoryPath = join(stateDir, 'inventory.json');
export const knownHostsPath = join(stateDir, 'known_hosts');
export const psshHostsPath = join(stateDir, 'pssh-hosts');
export const ansibleInventoryPath = join(stateDir, 'ansible-inventory.ini');
export const DEFAULT_PORT = 2222;
/** a plain account with bash and no rc files: root's shell start-up here (pyenv etc.) costs ~80 ms per command */
export const benchUser = 'kxbench';
export const benchHome = join(stateDir, 'home');

export type LightHost = { name: string; address: string; port: number; fingerprint: string; sshd: number };

export type Inventory = { user: string; port: number; perSshd: number; clientKey: string; hosts: LightHost[]; sshds: { index: number; pid: number; config: string }[] };

/** Host i (1-based) → 127.0.1.1 … 127.0.1.250, 127.0.2.1 …: clear of the lab's 127.0.0.x. */
export function lightAddress(i: number): string {
  return `127.0.${1 + Math.floor((i - 1) / 250)}.${1 + ((i - 1) % 250)}`;
}

export async function readInventory(): Promise<Inventory> {
  try {
    return JSON.parse(await readFile(inventoryPath, 'utf8')) as Inventory;
  } catch {
    throw new Error(`no light hosts: run \`npx tsx bench/light-hosts/up.ts N\` first (${inventoryPath} missing)`);
  }
}

/** The first `count` hosts of the running set; fails loudly when fewer are up. */
export async function lightHosts(count: number): Promise<{ inventory: Inventory; hosts: LightHost[]; clientKey: Buffer }> {
  const inventory = await readInventory();
  if (inventory.hosts.length < count) throw new Error(`need ${count} light hosts, ${inventory.hosts.length} are up: run bench/light-hosts/up.ts ${count}`);
  return { inventory, hosts: inventory.hosts.slice(0, count), clientKey: await readFile(inventory.clientKey) };
}
