import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LightHost } from '../light-hosts/state';
import { benchUser, clientKeyPath, knownHostsPath, stateDir } from '../light-hosts/state';
import type { TrivialStep } from './workload';

const controlDir = join(stateDir, 'cp');
const controlPath = join(controlDir, '%C');

/** OpenSSH options shared by Ansible and pssh: pinned known_hosts (strict), one persistent master per host. */
export const sshOptions = [
  `IdentityFile=${clientKeyPath}`,
  'IdentitiesOnly=yes',
  `UserKnownHostsFile=${knownHostsPath}`,
  'StrictHostKeyChecking=yes',
  'ControlMaster=auto',
  `ControlPath=${controlPath}`,
  'ControlPersist=300',
  'BatchMode=yes',
];

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 256 * 1024 * 1024, timeout: 1_800_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${file} failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve();
    });
  });
}

export async function writePlaybook(dir: string, steps: readonly TrivialStep[]): Promise<string> {
  const tasks = steps.flatMap((s, i) => [
    `    - name: check ${i + 1}\n      command: ${JSON.stringify(s.check)}\n      register: c${i + 1}\n      failed_when: false\n      changed_when: false`,
    `    - name: run ${i + 1}\n      command: ${JSON.stringify(s.run)}\n      when: c${i + 1}.rc != 0`,
  ]);
  const path = join(dir, `playbook-${steps.length}.yml`);
  await writeFile(path, `- hosts: bench\n  gather_facts: false\n  tasks:\n${tasks.join('\n')}\n`);
  return path;
}

/** Debian's ansible-mitogen: its strategy plugins, one persistent Python interpreter per host instead of a module upload per task */
const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

export async function runAnsible(playbook: string, inventory: string, hosts: readonly LightHost[], options: { mitogen?: boolean } = {}): Promise<void> {
  await mkdir(controlDir, { recursive: true });
  const env = {
    ...process.env,
    ANSIBLE_FORKS: String(hosts.length),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_SSH_ARGS: sshOptions.map((o) => `-o ${o}`).join(' '),
    ANSIBLE_SSH_CONTROL_PATH: controlPath.replace('%', '%%'),
    ANSIBLE_REMOTE_USER: benchUser,
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_LOCAL_TEMP: join(stateDir, 'ansible-tmp'),
    ...(options.mitogen ? { ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGIES, ANSIBLE_STRATEGY: 'mitogen_linear' } : {}),
  };
  const limit = hosts.map((h) => h.name).join(',');
  await run('ansible-playbook', ['-i', inventory, '--limit', limit, playbook], env);
}

/** One parallel-ssh invocation per step; the step's check and run go in one remote shell. */
export async function runPssh(hostsFile: string, parallel: number, steps: readonly TrivialStep[]): Promise<void> {
  await mkdir(controlDir, { recursive: true });
  const opts = sshOptions.flatMap((o) => ['-O', o]);
  for (const s of steps) await run('parallel-ssh', ['-h', hostsFile, '-p', String(parallel), '-t', '0', ...opts, `${s.check} || ${s.run}`]);
}

export async function writeHostsFile(dir: string, hosts: readonly LightHost[]): Promise<string> {
  const path = join(dir, `pssh-hosts-${hosts.length}`);
  await writeFile(path, `${hosts.map((h) => `${benchUser}@${h.address}:${h.port}`).join('\n')}\n`);
  return path;
}

/** Ends the persistent masters Ansible and pssh left (each by its control socket, never by name). */
export async function closeMasters(hosts: readonly LightHost[]): Promise<void> {
  await Promise.all(
    hosts.map((h) =>
      run('ssh', ['-O', 'exit', '-o', `ControlPath=${controlPath}`, '-p', String(h.port), `${benchUser}@${h.address}`]).catch(() => {}),
    ),
  );
}
