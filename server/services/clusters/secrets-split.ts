import type { ClusterSpecInput, ClusterSpecPublic } from '../../contracts/cluster-spec';
import { splitSecrets } from '../../spec/secrets';
import { deleteSecrets, putSecret } from '../../secrets/store';
import type { Deps, Tx } from './deps';

export type SecretWrites = { put: Array<{ path: string; value: string }>; cleared: string[] };

/**
 * Like splitSecrets, but against the paths the credentials table holds (the truth, also for drafts):
 * a string sets, undefined keeps a stored value, null clears; stored paths no longer in the spec are cleared.
 */
export function splitAgainstStored(input: ClusterSpecInput, stored: ReadonlySet<string>): { spec: ClusterSpecPublic; writes: SecretWrites } {
  const { spec, secrets, cleared } = splitSecrets(input, stored);
  return { spec, writes: { put: secrets, cleared } };
}

export function applySecretWrites(tx: Tx, box: Deps['secretBox'], clusterId: number, writes: SecretWrites): void {
  deleteSecrets(tx, clusterId, writes.cleared);
  for (const s of writes.put) putSecret(tx, box, clusterId, s.path, s.value);
}

/** The spec as stored: no secret values and no host-key pins (pins live in the hosts table). */
export function storedSpec(spec: ClusterSpecPublic): ClusterSpecPublic {
  return { ...spec, hosts: spec.hosts.map(({ hostKeyFingerprint: _pin, ...h }) => h) };
}
