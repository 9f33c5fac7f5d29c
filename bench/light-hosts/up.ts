import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fingerprintOfPublicKeyLine } from '../../server/connectors/known-hosts';
import { stopAll } from './stop';
import type { Inventory, LightHost } from './state';
import { DEFAULT_PORT, benchHome, benchUser, ansibleInventoryPath, clientKeyPath, hostsDir, inventoryPath, keysDir, knownHostsPath, lightAddress, psshHostsPath, stateDir } from './state';

const SSHD = '/usr/sbin/sshd';
const NICE = Number(process.env.KX_BENCH_HOST_NICE ?? 10);
/** `idle`: the hosts' sshd and everything it starts run under SCHED_IDLE, only when no other process wants a core (a diagnostic) */
export const HOST_SCHED = process.env.KX_BENCH_HOST_SCHED === 'idle' ? 'idle' : 'other';

function ensureKey(path: string, comment: string) {
  if (!existsSync(path)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

function ensureUser() {
  try {
    execFileSync('id', [benchUser], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--shell', '/bin/bash', '--home-dir', benchHome, '--no-create-home', benchUser]);
  }
  // with UsePAM no, sshd refuses a locked ('!') account even for key auth
  execFileSync('usermod', ['-p', '*', benchUser]);
}

function sshdConfig(addresses: string[], port: number, hostKey: string, dir: string): string {
  return [
    ...addresses.map((a) => `ListenAddress ${a}:${port}`),
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${clientKeyPath}.pub`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AllowUsers ${benchUser}`,
    'PermitRootLogin no',
    'UsePAM no',
    // the bench state dir lives under world-writable /var/tmp, which StrictModes refuses
    'StrictModes no',
    'UseDNS no',
    'MaxSessions 100',
    'MaxStartups 2000',
    'LogLevel ERROR',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

function waitListening(address: string, port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect({ host: address, port });
      sock.once('connect', () => (sock.destroy(), resolve()));
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd on ${address}:${port} did not start`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function up(count: number, perSshd: number, port: number): Promise<Inventory> {
  if (!Number.isInteger(count) || count < 1 || count > 2000) throw new Error('host count must be 1..2000');
  if (!Number.isInteger(perSshd) || perSshd < 1 || perSshd > 16) throw new Error('--per-sshd must be 1..16 (sshd listens on at most 16 addresses)');
  if (!existsSync(SSHD)) throw new Error(`${SSHD} missing: apt-get install -y openssh-server`);
  await stopAll();
  await mkdir(stateDir, { recursive: true });
  // sshd reads the authorized key as the bench user, so the state dir must be traversable
  await chmod(stateDir, 0o755);
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  ensureKey(clientKeyPath, 'kubexms-bench-client');
  ensureUser();
  await mkdir(benchHome, { recursive: true });
  execFileSync('chown', [`${benchUser}:`, benchHome]);
  const groups = Math.ceil(count / perSshd);
  const hosts: LightHost[] = [];
  const sshds: Inventory['sshds'] = [];
  const knownHosts: string[] = [];
  for (let g = 0; g < groups; g++) {
    const dir = join(hostsDir, String(g));
    await mkdir(dir, { recursive: true });
    const hostKey = join(keysDir, `host-${g}`);
    ensureKey(hostKey, `kubexms-bench-host-${g}`);
    const pub = (await readFile(`${hostKey}.pub`, 'utf8')).trim();
    const fingerprint = fingerprintOfPublicKeyLine(pub);
    const first = g * perSshd + 1;
    const addresses = Array.from({ length: Math.min(perSshd, count - g * perSshd) }, (_, k) => lightAddress(first + k));
    const config = join(dir, 'sshd_config');
    await writeFile(config, sshdConfig(addresses, port, hostKey, dir));
    if (g === 0) execFileSync(SSHD, ['-t', '-f', config]);
    // niced: the "remote" side of a light host should not compete with the control plane as a real remote host would not
    const argv = ['nice', '-n', String(NICE), SSHD, '-D', '-f', config, '-E', join(dir, 'sshd.log')];
    const [cmd, ...args] = HOST_SCHED === 'idle' ? ['chrt', '--idle', '0', ...argv] : argv;
    const child = spawn(cmd!, args, { detached: true, stdio: 'ignore' });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start sshd for ${config}`);
    sshds.push({ index: g, pid: child.pid, config });
    await writeFile(join(dir, 'bench.pid'), `${child.pid}\n`);
    for (const [k, address] of addresses.entries()) {
      hosts.push({ name: `lh${first + k}`, address, port, fingerprint, sshd: g });
      knownHosts.push(`[${address}]:${port} ${pub.split(/\s+/).slice(0, 2).join(' ')}`);
    }
  }
  const inventory: Inventory = { user: benchUser, port, perSshd, clientKey: clientKeyPath, hosts, sshds };
  await writeFile(inventoryPath, JSON.stringify(inventory, null, 2));
  await writeFile(knownHostsPath, `${knownHosts.join('\n')}\n`);
  await writeFile(psshHostsPath, `${hosts.map((h) => `${benchUser}@${h.address}:${h.port}`).join('\n')}\n`);
  await writeFile(ansibleInventoryPath, `[bench]\n${hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`).join('\n')}\n`);
  const deadline = Date.now() + 20_000;
  await Promise.all(hosts.map((h) => waitListening(h.address, h.port, deadline)));
  return inventory;
}

function parseArgs(argv: string[]) {
  const count = Number(argv.find((a) => !a.startsWith('--')) ?? 3);
  const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const perSshd = Number(opt('per-sshd') ?? (count > 100 ? 10 : 1));
  return { count, perSshd, port: Number(opt('port') ?? DEFAULT_PORT) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { count, perSshd, port } = parseArgs(process.argv.slice(2));
  const inv = await up(count, perSshd, port);
  console.log(`${inv.hosts.length} light hosts on ${inv.sshds.length} sshd (port ${port}, ${perSshd} address(es) per sshd); state in ${stateDir}`);
}
