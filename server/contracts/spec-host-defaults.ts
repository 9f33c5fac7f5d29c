import type { ClusterSpec, ClusterSpecPublic } from './cluster-spec';

type Creds<A, S> = { user?: string | undefined; auth?: A | undefined; sudoPassword?: S | undefined };
type Defaults<A, S> = { user: string; auth?: A | undefined; sudoPassword?: S | undefined } | undefined;

/**
 * A host's effective credentials: its own user, else the default user (root without defaults); its own auth, else the
 * default auth, and with the default auth also the default sudo password unless the host has one of its own.
 */
export function hostCredentials<A, S>(h: Creds<A, S>, d: Defaults<A, S>, isSet: (s: S | undefined) => boolean): { user: string; auth: A | undefined; sudoPassword: S | undefined; inherits: boolean } {
  const inherits = h.auth === undefined;
  return {
    user: h.user ?? d?.user ?? 'root',
    auth: h.auth ?? d?.auth,
    sudoPassword: inherits && !isSet(h.sudoPassword) ? (d?.sudoPassword ?? h.sudoPassword) : h.sudoPassword,
    inherits,
  };
}

const stringSet = (s: string | undefined) => typeof s === 'string' && s.length > 0;

/** The runner's view: every host carries its resolved user, auth and sudo password (hostDefaults stays for redaction). */
export function resolveHostDefaults(spec: ClusterSpec): ClusterSpec {
  return {
    ...spec,
    hosts: spec.hosts.map((h) => {
      const c = hostCredentials(h, spec.hostDefaults, stringSet);
      return { ...h, user: c.user, auth: c.auth ?? h.auth, ...(c.sudoPassword === undefined ? {} : { sudoPassword: c.sudoPassword }) };
    }),
  };
}

/** The same for a stored spec: which user and auth type each host ends up with, and whether a sudo password is set. */
export function publicHostCredentials(spec: ClusterSpecPublic, i: number) {
  const h = spec.hosts[i]!;
  return hostCredentials(h, spec.hostDefaults, (s) => s?.set === true);
}
