import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { HostKeyChange } from '../../contracts/cluster-api';
import { ConnectorError } from '../../connectors/connector';
import { normalizeFingerprint, sameFingerprint } from '../../connectors/known-hosts';
import { hosts } from '../../db/schema';
import { notFound, ServiceError } from '../../errors';
import { savedClusterRow } from '../clusters/cluster-row';
import type { Actor, Deps } from '../clusters/deps';
import { scanHostKey } from './host-key-scan';
import { hostRow } from './resolve-target';

export type AcceptKeyInput = { clusterId: number; host: string; fingerprint: string };

/** Pins the key the user saw, after checking the host still presents exactly that key. */
export async function acceptKey(deps: Deps, input: AcceptKeyInput, by: Actor, signal?: AbortSignal): Promise<HostKeyChange> {
  const cluster = savedClusterRow(deps.db, input.clusterId);
  const row = hostRow(deps.db, cluster.id, input.host);
  if (!row) throw notFound(`host ${input.host} of cluster "${cluster.name}"`);
  const given = normalizeFingerprint(input.fingerprint);
  if (!given) throw new ServiceError('BAD_REQUEST', 'not a SHA256 fingerprint', [{ path: 'fingerprint', message: 'must be SHA256:…' }]);
  let current: string;
  try {
    current = await scanHostKey(row, { signal: AbortSignal.any([AbortSignal.timeout(15_000), ...(signal ? [signal] : [])]) });
  } catch (err) {
    const why = err instanceof ConnectorError ? err.message : String(err);
    throw new ServiceError('PRECONDITION_FAILED', `cannot read the host key of ${input.host} to confirm it: ${why}`);
  }
  if (!sameFingerprint(current, given)) {
    throw new ServiceError('CONFLICT', `host ${input.host} now presents ${current}, not the key you accepted (${given}); test the connection again and compare`);
  }
  return deps.db.transaction((tx) => {
    const done = tx
      .update(hosts)
      .set({ hostKeyFingerprint: given, hostKeyAcceptedAt: Date.now() })
      .where(and(eq(hosts.id, row.id), eq(hosts.address, row.address), eq(hosts.port, row.port)))
      .run();
    if (done.changes !== 1) throw new ServiceError('CONFLICT', `host ${input.host} was changed meanwhile; test the connection again`);
    audit(tx, { ...by, action: 'hostkey.accepted', target: `${cluster.name}/${input.host}`, detail: { clusterId: cluster.id, host: input.host, address: row.address, port: row.port, fingerprint: given, previous: row.hostKeyFingerprint } });
    return { clusterId: cluster.id, host: input.host, fingerprint: given, version: cluster.version };
  }, { behavior: 'immediate' });
}
