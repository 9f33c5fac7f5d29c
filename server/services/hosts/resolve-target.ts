import { and, eq } from 'drizzle-orm';
import type { ProbeInput } from '../../contracts/cluster-api';
import type { ClusterSpecPublic } from '../../contracts/cluster-spec';
import type { HostAuth } from '../../contracts/spec-host';
import { publicHostCredentials } from '../../contracts/spec-host-defaults';
import { hosts } from '../../db/schema';
import { getSecret } from '../../secrets/store';
import { notFound, ServiceError } from '../../errors';
import { getClusterRow, savedClusterRow } from '../clusters/cluster-row';
import type { Db } from '../../db/client';
import type { Deps, Tx } from '../clusters/deps';

/** saved: the hosts row facts are written to (same cluster host, same address and port). */
export type ProbeTarget = { name: string; address: string; port: number; username: string; auth: HostAuth; pinned: string | null; saved: { hostId: number } | null };

export function hostRow(db: Db | Tx, clusterId: number, name: string) {
  return db.select().from(hosts).where(and(eq(hosts.clusterId, clusterId), eq(hosts.name, name))).get();
}

function needSecret(value: string | undefined, field: string): string {
  if (value === undefined) throw new ServiceError('BAD_REQUEST', `${field} is required to test the connection`, [{ path: field, message: 'required' }]);
  return value;
}

/** A saved cluster's host (all from the DB), or a wizard form host whose omitted secrets come from the stored cluster. */
export function resolveTarget(deps: Deps, input: ProbeInput): ProbeTarget {
  if (!('form' in input)) {
    const row = savedClusterRow(deps.db, input.clusterId);
    const spec = row.spec as ClusterSpecPublic;
    const index = spec.hosts.findIndex((h) => h.name === input.host);
    const hr = hostRow(deps.db, row.id, input.host);
    if (index === -1 || !hr) throw notFound(`host ${input.host} of cluster "${row.name}"`);
    const creds = publicHostCredentials(spec, index);
    const secret = (k: string) => getSecret(deps.db, deps.secretBox, row.id, `${creds.inherits ? 'hostDefaults' : `hosts.${input.host}`}.${k}`);
    const auth: HostAuth =
      creds.auth?.type === 'key'
        ? { type: 'key', privateKey: needSecret(secret('auth.privateKey'), 'auth.privateKey'), ...optional('passphrase', secret('auth.passphrase')) }
        : { type: 'password', password: needSecret(secret('auth.password'), 'auth.password') };
    return { name: input.host, address: hr.address, port: hr.port, username: hr.username, auth, pinned: hr.hostKeyFingerprint, saved: { hostId: hr.id } };
  }
  const { form, clusterId } = input;
  const stored = clusterId !== undefined && form.name !== undefined ? { clusterId: getClusterRow(deps.db, clusterId).id, name: form.name } : null;
  const cid = clusterId === undefined ? null : getClusterRow(deps.db, clusterId).id;
  const owner = form.usesDefaults ? 'hostDefaults' : stored ? `hosts.${stored.name}` : null;
  const fromStore = (k: string) => (cid !== null && owner ? getSecret(deps.db, deps.secretBox, cid, `${owner}.${k}`) : undefined);
  const pick = (given: string | null | undefined, k: string) => (typeof given === 'string' ? given : given === null ? undefined : fromStore(k));
  const a = form.auth;
  const auth: HostAuth =
    a.type === 'key'
      ? { type: 'key', privateKey: needSecret(pick(a.privateKey, 'auth.privateKey'), 'form.auth.privateKey'), ...optional('passphrase', pick(a.passphrase, 'auth.passphrase')) }
      : { type: 'password', password: needSecret(pick(a.password, 'auth.password'), 'form.auth.password') };
  const hr = stored ? hostRow(deps.db, stored.clusterId, stored.name) : undefined;
  const same = hr && hr.address === form.address && hr.port === form.port ? hr : undefined;
  const pinned = form.hostKeyFingerprint ?? same?.hostKeyFingerprint ?? null;
  return { name: form.name ?? form.address, address: form.address, port: form.port, username: form.user, auth, pinned, saved: same ? { hostId: same.id } : null };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: string });
}
