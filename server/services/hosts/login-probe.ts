import type { HostFacts } from '../../contracts/cluster-api';
import { probeHost } from '../../connectors/ssh';
import type { ProbeTarget } from './resolve-target';

/** Logs in pinned to the key just scanned (a swap in between is a hostkey failure) and reads the facts; no retries: a user waits. */
export async function loginProbe(t: ProbeTarget, fingerprint: string, signal: AbortSignal): Promise<HostFacts> {
  const auth = t.auth.type === 'key' ? { privateKey: t.auth.privateKey, ...(t.auth.passphrase === undefined ? {} : { passphrase: t.auth.passphrase }) } : { password: t.auth.password };
  const res = await probeHost({ host: t.address, port: t.port, username: t.username, ...auth, hostKeyFingerprint: fingerprint, connectRetries: 0, readyTimeoutMs: 10_000 }, { signal });
  return res.facts;
}
