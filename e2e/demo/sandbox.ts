import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SANDBOX_SCRIPT = fileURLToPath(new URL('./sandbox.sh', import.meta.url));
/** the lab's state dir: the sandbox hosts are lab hosts n21..n23 there (one bridge lab per machine) */
export const demoLabDir = process.env.LAB ?? '/var/tmp/kubexms-lab';
/** lab host indices of the sandbox, in role order: control-plane + etcd, then two etcd + worker */
export const SANDBOX_INDICES = [21, 22, 23] as const;

export type SandboxHost = { name: string; index: number; address: string; port: number; hostKeyFingerprint: string };
export type Sandbox = { hosts: SandboxHost[]; rootKey: string };
export type ScriptResult = { code: number; stderr: string };

/** Runs sandbox.sh; its progress lines go to our stderr when `echo` is set. */
export function sandboxScript(args: string[], opts: { signal?: AbortSignal; echo?: boolean; env?: Record<string, string> } = {}): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', [SANDBOX_SCRIPT, ...args], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, LAB: demoLabDir, ...opts.env },
      signal: opts.signal,
      killSignal: 'SIGTERM',
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-8000);
      if (opts.echo) process.stderr.write(b);
    });
    child.on('error', () => undefined);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

type Inventory = { key: string; hosts: SandboxHost[] };

export async function readSandbox(): Promise<Sandbox> {
  const inv = JSON.parse(await readFile(join(demoLabDir, 'hosts.json'), 'utf8')) as Inventory;
  const hosts = SANDBOX_INDICES.map((i) => {
    const h = inv.hosts.find((x) => x.index === i);
    if (!h) throw new Error(`sandbox host n${i} is missing from ${demoLabDir}/hosts.json`);
    return { name: h.name, index: h.index, address: h.address, port: h.port, hostKeyFingerprint: h.hostKeyFingerprint };
  });
  return { hosts, rootKey: await readFile(inv.key, 'utf8') };
}

/** Where sandbox host i lives in the lab dir (its overlay is <dir>/merged). */
export const sandboxHostDir = (i: number) => join(demoLabDir, 'hosts', `n${i}`);

/** The systemd-nspawn PIDs the lab recorded for the sandbox hosts that still run. */
export function sandboxNspawnPids(): number[] {
  return SANDBOX_INDICES.flatMap((i) => {
    try {
      const pid = Number(readFileSync(join(sandboxHostDir(i), 'nspawn.pid'), 'utf8').trim());
      return Number.isInteger(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'systemd-nspawn' ? [pid] : [];
    } catch {
      return [];
    }
  });
}

/** "n22" (or "22") to its lab index, only for sandbox hosts. */
export function sandboxIndex(host: string): number | null {
  const m = /^n?(\d+)$/.exec(host.trim());
  const i = m ? Number(m[1]) : NaN;
  return (SANDBOX_INDICES as readonly number[]).includes(i) ? i : null;
}
