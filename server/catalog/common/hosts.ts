import type { ClusterSpec, KxHost, KxContext, SpecHost } from './types';

/** The engine's hosts for a spec: name, SSH address, roles, labels, and the spec entry itself as `data`. */
export function runtimeHostsFromSpec(spec: ClusterSpec): KxHost[] {
  return spec.hosts.map((h) => ({ name: h.name, address: h.address, roles: [...h.roles], labels: { ...h.labels }, data: h }));
}

/** The spec entry of the context's host (falls back to a lookup by name when `data` is absent). */
export function specHostOf(ctx: KxContext): SpecHost {
  const found = ctx.host.data ?? ctx.runtime.spec.hosts.find((h) => h.name === ctx.host.name);
  if (!found) throw new Error(`host ${ctx.host.name} is not in the cluster spec`);
  return found;
}

