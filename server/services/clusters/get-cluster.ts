import { eq } from 'drizzle-orm';
import type { ClusterDetail, HostFacts, HostState } from '../../contracts/cluster-api';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import { secretSlots } from '../../contracts/spec-secrets';
import { hosts } from '../../db/schema';
import { listSecretPaths } from '../../secrets/store';
import { getClusterRow } from './cluster-row';
import type { Deps, Tx } from './deps';
import type { Db } from '../../db/client';

type HostRow = typeof hosts.$inferSelect;

export function hostState(r: HostRow): HostState {
  return {
    name: r.name,
    address: r.address,
    port: r.port,
    username: r.username,
    hostKey: { fingerprint: r.hostKeyFingerprint, acceptedAt: r.hostKeyAcceptedAt },
    facts: (r.facts as HostFacts | null) ?? null,
    factsAt: r.factsAt,
  };
}

export function hostRows(db: Db | Tx, clusterId: number): HostRow[] {
  return db.select().from(hosts).where(eq(hosts.clusterId, clusterId)).all();
}

/** The public view: secrets only as { set }, pins from the hosts table in hosts[].hostKeyFingerprint. */
export function getCluster(deps: Pick<Deps, 'db'>, input: { clusterId: number }): ClusterDetail {
  const row = getClusterRow(deps.db, input.clusterId);
  const meta = { id: row.id, name: row.name, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
  const rows = hostRows(deps.db, row.id);
  if (row.draft) return { ...meta, draft: true, spec: row.spec as Record<string, unknown>, hosts: [], secrets: [] };
  const stored = row.spec as ClusterSpecPublic;
  const pins = new Map(rows.map((r) => [r.name, r.hostKeyFingerprint]));
  const spec: ClusterSpecPublic = {
    ...stored,
    hosts: stored.hosts.map((h) => {
      const pin = pins.get(h.name);
      return pin ? { ...h, hostKeyFingerprint: pin } : h;
    }),
  };
  const have = new Set(listSecretPaths(deps.db, row.id));
  const order = new Map(stored.hosts.map((h, i) => [h.name, i]));
  rows.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const secrets = secretSlots(spec).map((s) => ({ path: s.path, field: s.field, required: s.required, set: have.has(s.path) }));
  return { ...meta, draft: false, spec, hosts: rows.map(hostState), secrets };
}
