import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { SaveResult } from '../../contracts/cluster-api';
import { validateSpec } from '../../contracts/spec-validate';
import { clusters } from '../../db/schema';
import { type Actor, type Deps, invalidSpec, nameTaken } from './deps';
import { applySecretWrites, splitAgainstStored, storedSpec } from './secrets-split';
import { syncHosts } from './sync-hosts';
import { keptSource } from './kubekey';

/** Validates the whole spec (every required secret given), then writes cluster, secrets and hosts in one transaction. */
export function createCluster(deps: Deps, input: { spec: unknown; kubekeySource?: string | undefined }, by: Actor): SaveResult {
  const checked = validateSpec(input.spec, { secrets: 'require' });
  if (!checked.ok) throw invalidSpec(checked.errors);
  const { spec, writes } = splitAgainstStored(checked.spec, new Set());
  return deps.db.transaction((tx) => {
    if (tx.select({ id: clusters.id }).from(clusters).where(eq(clusters.name, spec.name)).get()) throw nameTaken(spec.name);
    const row = tx.insert(clusters).values({ name: spec.name, spec: storedSpec(spec), draft: false, kubekeySource: keptSource(input.kubekeySource) }).returning({ id: clusters.id, version: clusters.version }).get();
    applySecretWrites(tx, deps.secretBox, row.id, writes);
    const sync = syncHosts(tx, row.id, checked.spec.hosts, true, checked.spec.hostDefaults?.user);
    audit(tx, {
      ...by,
      action: 'cluster.created',
      target: spec.name,
      detail: { clusterId: row.id, hosts: spec.hosts.length, secretsSet: writes.put.map((s) => s.path), hostKeysPinned: sync.pinned },
    });
    return { id: row.id, name: spec.name, version: row.version, warnings: [...checked.warnings, ...sync.warnings] };
  }, { behavior: 'immediate' });
}
