import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { HostKeyChange } from '../../contracts/cluster-api';
import { hosts } from '../../db/schema';
import { notFound } from '../../errors';
import { getClusterRow } from '../clusters/cluster-row';
import type { Actor, Deps } from '../clusters/deps';
import { hostRow } from './resolve-target';

/** Drops a host's pin: runs refuse the host until a key is accepted again. */
export function forgetKey(deps: Pick<Deps, 'db'>, input: { clusterId: number; host: string }, by: Actor): HostKeyChange {
  return deps.db.transaction((tx) => {
    const cluster = getClusterRow(tx, input.clusterId);
    const row = hostRow(tx, cluster.id, input.host);
    if (!row) throw notFound(`host ${input.host} of cluster "${cluster.name}"`);
    tx.update(hosts).set({ hostKeyFingerprint: null, hostKeyAcceptedAt: null }).where(eq(hosts.id, row.id)).run();
    if (row.hostKeyFingerprint) audit(tx, { ...by, action: 'hostkey.forgotten', target: `${cluster.name}/${input.host}`, detail: { clusterId: cluster.id, host: input.host, fingerprint: row.hostKeyFingerprint } });
    return { clusterId: cluster.id, host: input.host, fingerprint: null, version: cluster.version };
  }, { behavior: 'immediate' });
}
