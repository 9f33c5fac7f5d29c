import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { inventoryPath, readInventory } from './state';

export function isOurSshd(pid: number, config: string): boolean {
  try {
    // sshd rewrites its argv into one title string, so match the config path as a word
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.startsWith('sshd') || cmdline.startsWith('/usr/sbin/sshd') ? ` ${cmdline} `.includes(` ${config} `) : false;
  } catch {
    return false;
  }
}

async function gone(pid: number, config: string, deadline: number): Promise<boolean> {
  while (isOurSshd(pid, config)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Stops every sshd listed in the inventory, by PID, after checking the PID still runs our config. */
export async function stopAll(): Promise<number> {
  if (!existsSync(inventoryPath)) return 0;
  const inv = await readInventory();
  let stopped = 0;
  for (const { pid, config } of inv.sshds) {
    if (!isOurSshd(pid, config)) continue;
    process.kill(pid, 'SIGTERM');
    stopped += 1;
  }
  const deadline = Date.now() + 5000;
  for (const { pid, config } of inv.sshds) {
    if (!(await gone(pid, config, deadline)) && isOurSshd(pid, config)) process.kill(pid, 'SIGKILL');
  }
  await rm(inventoryPath, { force: true });
  return stopped;
}
