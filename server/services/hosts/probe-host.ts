import { eq } from 'drizzle-orm';
import type { ProbeErrorKind, ProbeInput, ProbeResult } from '../../contracts/cluster-api';
import { ConnectorError } from '../../connectors/connector';
import { sameFingerprint } from '../../connectors/known-hosts';
import { hosts } from '../../db/schema';
import type { Deps } from '../clusters/deps';
import { loginProbe } from './login-probe';
import { scanHostKey } from './host-key-scan';
import { type ProbeTarget, resolveTarget } from './resolve-target';

export const PROBE_TIMEOUT_MS = 15_000;
const KINDS: readonly string[] = ['unreachable', 'auth', 'hostkey', 'timeout'] satisfies ProbeErrorKind[];

function failed(t: ProbeTarget, err: unknown, fingerprint: string | null, caller?: AbortSignal): ProbeResult {
  if (caller?.aborted) throw err;
  const timedOut = err instanceof ConnectorError && err.kind === 'cancelled';
  const kind = timedOut ? 'timeout' : err instanceof ConnectorError && KINDS.includes(err.kind) ? (err.kind as ProbeErrorKind) : 'unreachable';
  const message = timedOut ? `${t.address}:${t.port}: no answer within ${PROBE_TIMEOUT_MS / 1000} s` : err instanceof Error ? err.message : String(err);
  return { ok: false, host: t.name, kind, message, fingerprint, pinned: t.pinned };
}

/**
 * "Test connection": reads the host key without logging in, compares it with the pin, and logs in (key auth, or any
 * auth once the key is pinned) to read the facts, pinned to the key just seen. Never throws for a host's failure.
 */
export async function probeTarget(deps: Deps, t: ProbeTarget, signal?: AbortSignal): Promise<ProbeResult> {
  const sig = AbortSignal.any([AbortSignal.timeout(PROBE_TIMEOUT_MS), ...(signal ? [signal] : [])]);
  let fingerprint: string;
  try {
    fingerprint = await scanHostKey(t, { signal: sig });
  } catch (err) {
    return failed(t, err, null, signal);
  }
  const base = { ok: true as const, host: t.name, fingerprint, pinned: t.pinned };
  if (t.pinned && !sameFingerprint(t.pinned, fingerprint)) {
    const message = `host key changed: pinned ${t.pinned}, the host now presents ${fingerprint}. If the host was reinstalled, forget the old key and accept the new one; otherwise do not connect.`;
    return { ...base, matches: false, facts: null, message };
  }
  const matches = t.pinned ? true : null;
  if (!t.pinned && t.auth.type === 'password') {
    return { ...base, matches, facts: null, message: 'accept this host key first: the password is only sent to an accepted key' };
  }
  try {
    const facts = await loginProbe(t, fingerprint, sig);
    if (t.saved) deps.db.update(hosts).set({ facts, factsAt: Date.now() }).where(eq(hosts.id, t.saved.hostId)).run();
    return { ...base, matches, facts, message: null };
  } catch (err) {
    return failed(t, err, fingerprint, signal);
  }
}

export async function probeHost(deps: Deps, input: ProbeInput, signal?: AbortSignal): Promise<ProbeResult> {
  return probeTarget(deps, resolveTarget(deps, input), signal);
}
