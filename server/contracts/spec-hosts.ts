import type { AnyClusterSpec } from './cluster-spec';
import { ROLES, type Role } from './spec-host';

type HostOf<S extends AnyClusterSpec> = S['hosts'][number];

export function hostsByRole<S extends AnyClusterSpec>(spec: S): Record<Role, Array<HostOf<S>>> {
  const out = Object.fromEntries(ROLES.map((r) => [r, [] as Array<HostOf<S>>])) as Record<Role, Array<HostOf<S>>>;
  for (const host of spec.hosts as Array<HostOf<S>>) for (const role of host.roles) out[role].push(host);
  return out;
}

export function hostsWithAnyRole<S extends AnyClusterSpec>(spec: S, roles: readonly Role[]): Array<HostOf<S>> {
  if (roles.length === 0) return [...(spec.hosts as Array<HostOf<S>>)];
  return (spec.hosts as Array<HostOf<S>>).filter((h) => h.roles.some((r) => roles.includes(r)));
}
