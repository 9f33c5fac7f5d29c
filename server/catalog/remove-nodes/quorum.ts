import type { ClusterSpec } from '../common/types';

/** Majority of n members: what etcd needs to commit anything, membership changes included. */
export const quorumOf = (members: number) => Math.floor(members / 2) + 1;

export const QUORUM_RULE = 'etcd quorum rule';

/**
 * The rule removeNodes follows: the etcd members left must still be a majority of the current membership, so removing
 * them one after another never leaves a cluster that cannot commit (3 → 2 is allowed, 3 → 1 is refused).
 * Returns why a removal is refused, or null.
 */
export function removalRefusal(spec: Pick<ClusterSpec, 'hosts'>, removed: ReadonlySet<string>): string | null {
  const members = spec.hosts.filter((h) => h.roles.includes('etcd'));
  const leaving = members.filter((h) => removed.has(h.name));
  const left = members.length - leaving.length;
  if (leaving.length > 0 && left === 0) return `removing ${leaving.map((h) => h.name).join(', ')} would leave no etcd member: reset the cluster instead`;
  if (leaving.length > 0 && left < quorumOf(members.length)) {
    return `${QUORUM_RULE}: the etcd members left (${left}) must be a majority of the current ${members.length} (at least ${quorumOf(members.length)}); remove ${members.length - quorumOf(members.length)} member(s) at most, then the next after that run`;
  }
  const cps = spec.hosts.filter((h) => h.roles.includes('control-plane'));
  if (cps.length > 0 && cps.every((h) => removed.has(h.name))) return 'removing every control-plane host would leave Kubernetes without an API server: reset the cluster instead';
  return null;
}
