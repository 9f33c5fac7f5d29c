import { and, eq, ne } from 'drizzle-orm';
import type { SaveResult } from '../../contracts/cluster-api';
import { label } from '../../contracts/spec-fields';
import { clusters } from '../../db/schema';
import { listSecretPaths } from '../../secrets/store';
import { ServiceError } from '../../errors';
import { getClusterRow } from './cluster-row';
import { type Deps, invalidSpec, nameTaken, staleVersion } from './deps';
import { splitDraftSecrets } from './draft-secrets';
import { applySecretWrites } from './secrets-split';

export const DRAFT_MAX_BYTES = 4 * 1024 * 1024;
export type SaveDraftInput = { clusterId?: number | undefined; expectedVersion?: number | undefined; draft: Record<string, unknown> };

/** Stores the wizard's partial state (draft=1) without validating it, except its name and its secrets; not audited. */
export function saveDraft(deps: Deps, input: SaveDraftInput): SaveResult {
  const name = label.safeParse(input.draft.name);
  if (!name.success) throw invalidSpec([{ path: 'name', message: `a draft needs a name: ${name.error.issues[0]?.message ?? 'invalid'}` }]);
  return deps.db.transaction((tx) => {
    const row = input.clusterId === undefined ? undefined : getClusterRow(tx, input.clusterId);
    if (row && !row.draft) throw new ServiceError('CONFLICT', `cluster "${row.name}" is already saved; edit it instead of saving a draft`);
    if (row && row.version !== input.expectedVersion) throw staleVersion(input.expectedVersion ?? 0, row.version);
    const split = splitDraftSecrets(input.draft, new Set(row ? listSecretPaths(tx, row.id) : []));
    if (split.errors.length > 0) throw invalidSpec(split.errors);
    if (JSON.stringify(split.draft).length > DRAFT_MAX_BYTES) throw invalidSpec([{ path: '', message: `the draft is larger than ${DRAFT_MAX_BYTES} bytes` }]);
    const other = tx.select({ id: clusters.id }).from(clusters).where(row ? and(eq(clusters.name, name.data), ne(clusters.id, row.id)) : eq(clusters.name, name.data)).get();
    if (other) throw nameTaken(name.data);
    let id: number;
    let version: number;
    if (row) {
      version = row.version + 1;
      tx.update(clusters).set({ name: name.data, spec: split.draft, version, updatedAt: Date.now() }).where(eq(clusters.id, row.id)).run();
      id = row.id;
    } else {
      ({ id, version } = tx.insert(clusters).values({ name: name.data, spec: split.draft, draft: true }).returning({ id: clusters.id, version: clusters.version }).get());
    }
    applySecretWrites(tx, deps.secretBox, id, split.writes);
    return { id, name: name.data, version, warnings: [] };
  }, { behavior: 'immediate' });
}
