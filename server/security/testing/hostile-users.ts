import ssh2 from 'ssh2';
import { labControl, type LabHost } from '../../../e2e/hosts/fixture';

/** A lab login: password (= sudo password) and an ed25519 key encrypted with `passphrase` (default: the password). */
export type HostileLogin = { user: string; password: string; passphrase: string; privateKey: string; publicKey: string };

const GROUP = 'kxhostile';
const SSHD_TAG = '# kxhostile-begin';
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function must(i: number, command: string): Promise<string> {
  const res = await labControl.exec(i, command);
  if (res.code !== 0) throw new Error(`lab host n${i}: exit ${res.code}: ${res.stderr.trim()}`);
  return res.stdout;
}

// ssh2's generator now and then writes an encrypted key that neither ssh2 nor OpenSSH can read back: keep the first good one.
function encryptedKey(passphrase: string, comment: string): { private: string; public: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 4, comment });
    if (!(ssh2.utils.parseKey(pair.private, passphrase) instanceof Error)) return pair;
  }
}

export function hostileLogins(passwords: readonly (string | { password: string; passphrase: string })[], prefix = 'kxh'): HostileLogin[] {
  return passwords.map((entry, k) => {
    const { password, passphrase } = typeof entry === 'string' ? { password: entry, passphrase: entry } : entry;
    const pair = encryptedKey(passphrase, `${prefix}${k}`);
    return { user: `${prefix}${k}`, password, passphrase, privateKey: pair.private, publicKey: pair.public };
  });
}

// Values travel base64-encoded: the payloads must never be run by the test's own setup.
function setupScript(logins: readonly HostileLogin[]): string {
  const lines = [`getent group ${GROUP} >/dev/null || groupadd ${GROUP}`];
  for (const l of logins) {
    lines.push(
      `id ${l.user} >/dev/null 2>&1 || useradd -m -s /bin/bash -G ${GROUP} ${l.user}`,
      `usermod -aG ${GROUP} ${l.user}`,
      `install -d -m 700 -o ${l.user} -g ${l.user} /home/${l.user}/.ssh`,
      `echo ${b64(`${l.publicKey}\n`)} | base64 -d > /home/${l.user}/.ssh/authorized_keys`,
      `chown ${l.user}: /home/${l.user}/.ssh/authorized_keys && chmod 600 /home/${l.user}/.ssh/authorized_keys`,
    );
  }
  lines.push(
    `echo ${b64(logins.map((l) => `${l.user}:${l.password}\n`).join(''))} | base64 -d | chpasswd`,
    `printf '%%${GROUP} ALL=(ALL:ALL) ALL\\n' > /etc/sudoers.d/${GROUP} && chmod 440 /etc/sudoers.d/${GROUP}`,
    `grep -qx '${SSHD_TAG}' /etc/ssh/sshd_config || printf '${SSHD_TAG}\\nMatch Group ${GROUP}\\n  PasswordAuthentication yes\\n' >> /etc/ssh/sshd_config`,
    'sshd -t && systemctl reload ssh',
  );
  return lines.join(' && ');
}

function cleanupScript(logins: readonly HostileLogin[]): string {
  return [
    `sed -i '/^${SSHD_TAG}$/,$d' /etc/ssh/sshd_config`,
    'systemctl reload ssh',
    `rm -f /etc/sudoers.d/${GROUP}`,
    ...logins.map((l) => `(pkill -KILL -u ${l.user} || true; userdel -r ${l.user} 2>/dev/null || true)`),
    `(groupdel ${GROUP} 2>/dev/null || true)`,
  ].join('; ');
}

/** Adds the logins to every host (group kxhostile, sudo with password, password SSH for that group only); returns the undo. */
export async function addHostileLogins(hosts: readonly LabHost[], logins: readonly HostileLogin[]): Promise<() => Promise<void>> {
  await Promise.all(hosts.map((h) => must(h.index, setupScript(logins))));
  return async () => {
    await Promise.all(hosts.map((h) => must(h.index, cleanupScript(logins))));
  };
}
