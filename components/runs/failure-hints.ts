import type { FailureKind } from '@/server/contracts/status';

export type FailureHint = { title: string; text: string; fixAt?: 'cluster' | 'mirror' };

type Rule = { when: (kind: FailureKind | null, message: string) => boolean; hint: (message: string) => FailureHint };

const expectedPair = (message: string) => {
  const part = message.split(';').find((p) => p.includes('(expected '));
  const m = part ? /([^:]+):\s*([^:]*?)\s*\(expected (.+)\)\s*$/.exec(part) : null;
  return m ? ` (${m[1]!.trim()}: measured ${m[2]!.trim()}, expected ${m[3]!.trim()})` : '';
};

const addressOf = (message: string) => /\b(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]|[a-z0-9.-]+):(\d{1,5})\b/i.exec(message)?.[0];

// catalog failures first (their kind is often just "command"), then one rule per failure kind
const RULES: Rule[] = [
  {
    when: (_k, m) => /has no known sha256|refusing an unverifiable download|SHA256SUMS|cannot download|GET \S+ answered 404|has no file/i.test(m),
    hint: () => ({
      title: 'Missing artifact',
      text: 'The named binary and version is not available with a verified checksum. Put it on the mirror set in the cluster spec (artifacts.mirror, listed in its SHA256SUMS) or pick a version the wizard offers, then Retry.',
      fixAt: 'mirror',
    }),
  },
  {
    when: (_k, m) => /preflight check\(s\) failed|\(expected [^)]+\)/i.test(m),
    hint: (m) => ({
      title: 'Preflight minimum not met',
      text: `A host does not meet a requirement${expectedPair(m)}. Fix the host (more CPU, memory or disk, free the port, install the command) or, if the value is acceptable for you, lower the minimum in the cluster's preflight settings, then Retry.`,
      fixAt: 'cluster',
    }),
  },
  {
    when: (k, m) => k === 'auth' && /\bsudo\b/i.test(m),
    hint: () => ({
      title: 'sudo refused',
      text: 'The SSH user may not run commands as root. Allow it in /etc/sudoers.d on the host (e.g. "kxuser ALL=(ALL) ALL", or NOPASSWD) or store the sudo password in this host\'s credentials.',
      fixAt: 'cluster',
    }),
  },
  {
    when: (k) => k === 'hostkey',
    hint: () => ({
      title: 'Host key changed or not accepted',
      text: 'The host presented a key other than the pinned one (both fingerprints are in the message). If the host was reinstalled, open the cluster, press "Test connection" for this host, compare and accept the new key; if not, treat it as a possible attack and do not re-pin.',
      fixAt: 'cluster',
    }),
  },
  {
    when: (k) => k === 'unreachable',
    hint: (m) => ({
      title: 'Host unreachable',
      text: `Check the address and SSH port${addressOf(m) ? ` (${addressOf(m)})` : ''} in the cluster spec, that the host is up and sshd listens there, and that no firewall between this server and the host drops that port.`,
      fixAt: 'cluster',
    }),
  },
  {
    when: (k) => k === 'auth',
    hint: () => ({
      title: 'SSH login refused',
      text: "Check the user name, the private key (and its passphrase) or the password in this host's credentials, and that sshd allows that method for the user (authorized_keys, PasswordAuthentication).",
      fixAt: 'cluster',
    }),
  },
  {
    when: (k) => k === 'timeout',
    hint: () => ({ title: 'Timed out', text: 'The host answered but the step did not finish in time: check the host\'s load, its disk and network, and whether a service it waits for is up; then Retry.' }),
  },
  {
    when: (k) => k === 'cancelled',
    hint: () => ({ title: 'Cancelled', text: 'The run was cancelled. Retry continues where it stopped: steps already done are skipped by their checks.' }),
  },
  {
    when: (k) => k === 'internal',
    hint: () => ({ title: 'Internal error', text: 'kubexms itself failed here; the server log has the details. Retry once; if it fails again, report it with the downloaded log.' }),
  },
];

const FALLBACK: FailureHint = {
  title: 'Command failed on the host',
  text: 'Read the stderr tail and the step\'s log, fix the cause on the host, then Retry (steps already done are skipped by their checks).',
};

/** What to do next for one failure: catalog failures by their message, everything else by its kind. */
export function failureHint(kind: FailureKind | null, message: string | null): FailureHint {
  const m = message ?? '';
  return RULES.find((r) => r.when(kind, m))?.hint(m) ?? FALLBACK;
}
