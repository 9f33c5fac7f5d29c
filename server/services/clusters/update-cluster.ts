import { and, eq, ne } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { SaveResult } from '../../contracts/cluster-api';
import { validateSpec } from '../../contracts/spec-validate';
import { clusters, hosts } from '../../db/schema';
import { listSecretPaths } from '../../secrets/store';
import { getClusterRow } from './cluster-row';
import { type Actor, type Deps, invalidSpec, nameTaken, staleVersion } from './deps';
import { applySecretWrites, splitAgainstStored, storedSpec } from './secrets-split';
import { syncHosts } from './sync-hosts';
import { keptSource } from './kubekey';

export type UpdateClusterInput = { clusterId: number; expectedVersion: number; spec: unknown; kubekeySource?: string | undefined };

/** Replaces the spec (also turns a draft into a saved cluster); secrets omitted keep their stored value, null clears. */
/** `adoptNewPins`: hosts new to the cluster take their spec hostKeyFingerprint as the pin, as at creation (add nodes accepts keys before it saves). */
export function updateCluster(deps: Deps, input: UpdateClusterInput, by: Actor, opts: { adoptNewPins?: boolean } = {}): SaveResult {
  return deps.db.transaction((tx) => {
    const row = getClusterRow(tx, input.clusterId);
    if (row.version !== input.expectedVersion) throw staleVersion(input.expectedVersion, row.version);
    const stored = new Set(listSecretPaths(tx, row.id));
    const checked = validateSpec(input.spec, { secrets: stored });
    if (!checked.ok) throw invalidSpec(checked.errors);
    const { spec, writes } = splitAgainstStored(checked.spec, stored);
    if (tx.select({ id: clusters.id }).from(clusters).where(and(eq(clusters.name, spec.name), ne(clusters.id, row.id))).get()) throw nameTaken(spec.name);
    const version = row.version + 1;
    const done = tx
      .update(clusters)
      .set({ name: spec.name, spec: storedSpec(spec), draft: false, version, updatedAt: Date.now(), ...(input.kubekeySource === undefined ? {} : { kubekeySource: keptSource(input.kubekeySource) }) })
      .where(and(eq(clusters.id, row.id), eq(clusters.version, row.version)))
      .run();
    if (done.changes !== 1) throw staleVersion(input.expectedVersion, version);
    applySecretWrites(tx, deps.secretBox, row.id, writes);
    const firstSave = row.draft && !tx.select({ id: hosts.id }).from(hosts).where(eq(hosts.clusterId, row.id)).get();
    const sync = syncHosts(tx, row.id, checked.spec.hosts, firstSave || opts.adoptNewPins === true, checked.spec.hostDefaults?.user);
    audit(tx, {
      ...by,
      action: row.draft ? 'cluster.created' : 'cluster.updated',
      target: spec.name,
      detail: {
        clusterId: row.id,
        version,
        ...(row.name !== spec.name ? { renamedFrom: row.name } : {}),
        secretsSet: writes.put.map((s) => s.path),
        secretsCleared: writes.cleared,
        hostKeysPinned: sync.pinned,
        hostKeysDropped: sync.unpinned,
      },
    });
    return { id: row.id, name: spec.name, version, warnings: [...checked.warnings, ...sync.warnings] };
  }, { behavior: 'immediate' });
}
