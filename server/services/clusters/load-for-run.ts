import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { ClusterSpec } from '../../contracts/cluster-spec';
import { issuesToErrors } from '../../contracts/spec-validate';
import { SecretDecryptError } from '../../secrets/box';
import { getSecrets } from '../../secrets/store';
import { mergeSecrets, MissingSecretsError } from '../../spec/secrets';
import { ServiceError } from '../../errors';
import { savedClusterRow } from './cluster-row';
import type { Deps } from './deps';
import { hostRows } from './get-cluster';

export type ClusterForRun = { cluster: { id: number; name: string }; spec: ClusterSpec; hostKeys: Record<string, string | null> };

/**
 * The full spec with secrets decrypted, for the runner only (never into an API answer, log or snapshot).
 * hostKeys: pinned fingerprint per host name (null = not accepted); also set in spec.hosts[].hostKeyFingerprint.
 */
export async function loadClusterForRun(deps: Deps, clusterId: number): Promise<ClusterForRun> {
  const row = savedClusterRow(deps.db, clusterId);
  const stored = row.spec as ClusterSpecPublic;
  const pins = new Map(hostRows(deps.db, row.id).map((r) => [r.name, r.hostKeyFingerprint]));
  let merged: ClusterSpec;
  try {
    merged = mergeSecrets(stored, getSecrets(deps.db, deps.secretBox, row.id));
  } catch (err) {
    if (err instanceof MissingSecretsError) {
      const fields = err.paths.map((path) => ({ path, message: 'secret not set: enter it in the cluster settings' }));
      throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}" is missing secrets: ${err.paths.join(', ')}`, fields);
    }
    if (err instanceof SecretDecryptError) throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}": ${err.message}`);
    throw err;
  }
  const withPins = { ...merged, hosts: merged.hosts.map((h) => ({ ...h, hostKeyFingerprint: pins.get(h.name) ?? undefined })) };
  // Re-checked because supported versions and rules may have changed since the spec was saved.
  const checked = ClusterSpec.safeParse(withPins);
  if (!checked.success) {
    throw new ServiceError('PRECONDITION_FAILED', `cluster "${row.name}" no longer passes validation: edit and save it again`, issuesToErrors(checked.error.issues));
  }
  const hostKeys = Object.fromEntries(checked.data.hosts.map((h) => [h.name, pins.get(h.name) ?? null]));
  return { cluster: { id: row.id, name: row.name }, spec: checked.data, hostKeys };
}
