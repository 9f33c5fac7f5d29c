import { and, eq, inArray } from 'drizzle-orm';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import { hosts } from '../../db/schema';
import type { FieldError } from '../../errors';
import type { Tx } from './deps';

type SpecHost = ClusterSpecInput['hosts'][number];
export type HostSync = { pinned: string[]; unpinned: string[]; warnings: FieldError[] };

/**
 * Makes the hosts rows match the spec. `adoptPins`: a new cluster (or a draft becoming one) takes the spec's
 * hostKeyFingerprint as the user's pin; later, pins change only through acceptKey/forgetKey. A renamed host is a
 * new row, so its pin is gone; a changed address or port drops the pin and the facts (another machine may answer).
 */
export function syncHosts(tx: Tx, clusterId: number, specHosts: readonly SpecHost[], adoptPins: boolean, defaultUser = 'root', now = Date.now()): HostSync {
  const rows = tx.select().from(hosts).where(eq(hosts.clusterId, clusterId)).all();
  const byName = new Map(rows.map((r) => [r.name, r]));
  const keep = new Set(specHosts.map((h) => h.name));
  const gone = rows.filter((r) => !keep.has(r.name));
  if (gone.length > 0) tx.delete(hosts).where(and(eq(hosts.clusterId, clusterId), inArray(hosts.id, gone.map((r) => r.id)))).run();
  const out: HostSync = { pinned: [], unpinned: gone.filter((r) => r.hostKeyFingerprint).map((r) => r.name), warnings: [] };
  specHosts.forEach((h, i) => {
    const row = byName.get(h.name);
    const endpoint = { address: h.address, port: h.port, username: h.user ?? defaultUser };
    if (!row) {
      const pin = adoptPins ? (h.hostKeyFingerprint ?? null) : null;
      tx.insert(hosts).values({ clusterId, name: h.name, ...endpoint, hostKeyFingerprint: pin, hostKeyAcceptedAt: pin ? now : null }).run();
      if (pin) out.pinned.push(h.name);
      else if (h.hostKeyFingerprint) out.warnings.push({ path: `hosts.${i}.hostKeyFingerprint`, message: 'not pinned: accept the key with "test connection" after saving' });
      return;
    }
    const moved = row.address !== h.address || row.port !== h.port;
    const pin = moved ? null : row.hostKeyFingerprint;
    tx.update(hosts)
      .set({ ...endpoint, ...(moved ? { hostKeyFingerprint: null, hostKeyAcceptedAt: null, facts: null, factsAt: null } : {}) })
      .where(eq(hosts.id, row.id))
      .run();
    if (moved && row.hostKeyFingerprint) {
      out.unpinned.push(h.name);
      out.warnings.push({ path: `hosts.${i}.address`, message: 'address or port changed: the pinned host key was dropped; test the connection and accept the key again' });
    } else if (h.hostKeyFingerprint && h.hostKeyFingerprint !== pin) {
      out.warnings.push({ path: `hosts.${i}.hostKeyFingerprint`, message: 'ignored: pins change only with "accept key" / "forget key"' });
    }
  });
  return out;
}
