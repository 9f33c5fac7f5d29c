import { ConnectorError } from './connector';
import { connectSsh } from './ssh-connect';
import { SshConnector } from './ssh-connector';
import { ensureSuccess } from './ssh-errors';
import type { SshTarget } from './ssh-target';

export type HostFacts = {
  os: { id: string; versionId: string; prettyName: string };
  cpus: number;
  memoryKb: number;
  hostname: string;
  kernel: string;
  arch: string;
};

export type ProbeResult = { fingerprint: string; facts: HostFacts };

const FACTS = [
  `(. /etc/os-release 2>/dev/null; printf 'os_id=%s\\nos_version_id=%s\\nos_pretty=%s\\n' "\${ID:-}" "\${VERSION_ID:-}" "\${PRETTY_NAME:-}")`,
  `printf 'cpus=%s\\n' "$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"`,
  `awk '/^MemTotal:/{print "mem_kb=" $2}' /proc/meminfo`,
  `printf 'hostname=%s\\nkernel=%s\\narch=%s\\n' "$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)" "$(uname -r)" "$(uname -m)"`,
].join('; ');

export function parseFacts(text: string): HostFacts {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const get = (k: string) => kv.get(k) ?? '';
  return {
    os: { id: get('os_id'), versionId: get('os_version_id'), prettyName: get('os_pretty') },
    cpus: Number(get('cpus')) || 0,
    memoryKb: Number(get('mem_kb')) || 0,
    hostname: get('hostname'),
    kernel: get('kernel'),
    arch: get('arch'),
  };
}

/**
 * The wizard's "test connection": connects (an unpinned key is accepted only to report its fingerprint; a pinned key
 * that differs is a hostkey failure), authenticates, and gathers facts.
 */
export async function probeHost(target: SshTarget, { signal }: { signal?: AbortSignal } = {}): Promise<ProbeResult> {
  const connection = await connectSsh(target, { signal, acceptUnknownHostKey: true });
  const connector = new SshConnector(target, { connection });
  try {
    const res = ensureSuccess(await connector.exec(FACTS, { signal, timeoutMs: 30_000 }), 'gathering host facts');
    const facts = parseFacts(res.stdout);
    if (!facts.hostname && !facts.kernel) throw new ConnectorError('command', `${connector.target} answered, but its facts could not be read`);
    return { fingerprint: connection.fingerprint, facts };
  } finally {
    await connector.close();
  }
}
