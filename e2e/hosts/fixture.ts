import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type LabUser = { username: string; privateKey: string };

export type LabHost = {
  name: string;
  index: number;
  address: string;
  port: number;
  /** 'SHA256:...' of the ed25519 host key, the one ssh2 and OpenSSH negotiate first */
  hostKeyFingerprint: string;
  fingerprints: { ed25519: string; ecdsa: string; rsa: string };
  rootKey: string;
  users: { root: LabUser; kxuser: LabUser & { password: string }; kxnopw: LabUser };
  /** an ed25519 key with a passphrase, authorized for every user */
  passphraseKey: { privateKey: string; passphrase: string };
};

type Inventory = {
  mode: string;
  key: string;
  passphraseKey: { path: string; passphrase: string };
  hosts: {
    name: string;
    index: number;
    address: string;
    port: number;
    hostKeyFingerprint: string;
    fingerprints: LabHost['fingerprints'];
    users: { kxuser: { password: string } };
  }[];
};

export type LabExecResult = { code: number; stdout: string; stderr: string };

export const labDir = process.env.LAB ?? '/var/tmp/kubexms-lab';
const labScript = fileURLToPath(new URL('./lab.sh', import.meta.url));

function lab(args: string[], timeoutMs = 300_000): Promise<LabExecResult> {
  return new Promise((resolve) => {
    execFile('bash', [labScript, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LAB: labDir } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function mustLab(args: string[]): Promise<string> {
  const res = await lab(args);
  if (res.code !== 0) throw new Error(`lab.sh ${args.join(' ')} failed (exit ${res.code}):\n${res.stderr.trim()}`);
  return res.stdout;
}

/** Host indices for this test process: KUBEXMS_LAB_HOSTS="4,5,6" lets engineers share the lab on disjoint hosts. */
export function labIndices(count = 3): number[] {
  const env = process.env.KUBEXMS_LAB_HOSTS?.trim();
  const all = env ? env.split(',').map((s) => Number(s.trim())) : Array.from({ length: count }, (_, i) => i + 1);
  if (all.some((i) => !Number.isInteger(i) || i < 1 || i > 40)) throw new Error(`KUBEXMS_LAB_HOSTS must list host indices 1..40, got "${env}"`);
  if (all.length < count) throw new Error(`need ${count} lab hosts but KUBEXMS_LAB_HOSTS="${env}" gives ${all.length}`);
  return all.slice(0, count);
}

async function readInventory(): Promise<Inventory> {
  return JSON.parse(await readFile(`${labDir}/hosts.json`, 'utf8')) as Inventory;
}

/** Brings the lab up if needed (idempotent, serialized by lab.sh's lock) and returns `count` running hosts. */
export async function labHosts(count = 3): Promise<LabHost[]> {
  const indices = labIndices(count);
  await mustLab(['up', `${indices.join(',')},`]);
  return readHosts(indices);
}

export async function readHosts(indices: number[]): Promise<LabHost[]> {
  const inv = await readInventory();
  const rootKey = await readFile(inv.key, 'utf8');
  const passphraseKey = { privateKey: await readFile(inv.passphraseKey.path, 'utf8'), passphrase: inv.passphraseKey.passphrase };
  return indices.map((index) => {
    const h = inv.hosts.find((x) => x.index === index);
    if (!h) throw new Error(`lab host n${index} is not in ${labDir}/hosts.json`);
    return {
      name: h.name,
      index,
      address: h.address,
      port: h.port,
      hostKeyFingerprint: h.hostKeyFingerprint,
      fingerprints: h.fingerprints,
      rootKey,
      users: {
        root: { username: 'root', privateKey: rootKey },
        kxuser: { username: 'kxuser', password: h.users.kxuser.password, privateKey: rootKey },
        kxnopw: { username: 'kxnopw', privateKey: rootKey },
      },
      passphraseKey,
    };
  });
}

/** Fault injection and inspection. exec runs inside the host through nsenter, so it works with sshd stopped or the link cut. */
export const labControl = {
  cut: (i: number) => mustLab(['cut', String(i)]).then(() => undefined),
  heal: (i: number) => mustLab(['heal', String(i)]).then(() => undefined),
  crash: (i: number) => mustLab(['crash', String(i)]).then(() => undefined),
  restart: (i: number) => mustLab(['restart', String(i)]).then(() => undefined),
  stopSshd: (i: number) => mustLab(['stop-sshd', String(i)]).then(() => undefined),
  startSshd: (i: number) => mustLab(['start-sshd', String(i)]).then(() => undefined),
  exec: (i: number, command: string) => lab(['exec', String(i), command]),
  /** new host keys for host i; returns its new ed25519 fingerprint */
  regenHostKey: async (i: number): Promise<string> => {
    await mustLab(['regen-hostkey', String(i)]);
    const [host] = await readHosts([i]);
    return host!.hostKeyFingerprint;
  },
  /** puts back the keys host i had before the first regenHostKey; returns its ed25519 fingerprint */
  restoreHostKey: async (i: number): Promise<string> => {
    await mustLab(['restore-hostkey', String(i)]);
    const [host] = await readHosts([i]);
    return host!.hostKeyFingerprint;
  },
  status: () => mustLab(['status']),
  paths: () => ({ dir: labDir, knownHosts: `${labDir}/known_hosts`, key: `${labDir}/id_ed25519`, script: labScript }),
};
