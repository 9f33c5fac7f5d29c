import type { Backend } from './backend';
import { CliError } from './errors';

const HINT =
  'check each fingerprint (e.g. `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host), then rerun with --accept-new-host-keys, or set hostKeyFingerprint on the host in the file';

/**
 * Hosts without a pinned key: their key is read (the wizard's "test connection"); with acceptNew it is pinned (trust on
 * first use, printed), else the command stops before any run. Pinned hosts are left to the run: a changed key fails it.
 */
export async function ensureHostKeys(backend: Backend, clusterId: number, acceptNew: boolean, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const detail = await backend.getCluster(clusterId);
  const unpinned = detail.hosts.filter((h) => !h.hostKey.fingerprint);
  if (unpinned.length === 0) return;
  const problems: string[] = [];
  for (const h of unpinned) {
    if (signal?.aborted) throw new CliError('cancelled');
    const at = `${h.name} (${h.address}:${h.port})`;
    const probe = await backend.probeHost(clusterId, h.name);
    if (!probe.ok && !probe.fingerprint) {
      problems.push(`${at}: cannot read its host key: ${probe.kind}: ${probe.message}`);
      continue;
    }
    const fingerprint = probe.fingerprint as string;
    if (probe.pinned && probe.pinned !== fingerprint) {
      problems.push(`${at}: host key changed: pinned ${probe.pinned}, now ${fingerprint}; refused`);
      continue;
    }
    if (!acceptNew) {
      problems.push(`${at} presents ${fingerprint}: not accepted yet`);
      continue;
    }
    await backend.acceptKey(clusterId, h.name, fingerprint);
    log(`pinned the host key of ${at}: ${fingerprint} (trust on first use)`);
  }
  if (problems.length > 0) {
    throw new CliError(`host keys not accepted for ${problems.length} host(s); nothing was run`, 1, [...problems, `hint: ${acceptNew ? 'fix the hosts above and run again' : HINT}`]);
  }
}
