import type { AnyClusterSpec, ClusterSpecPublic } from './cluster-spec';
import type { SecretState } from './spec-fields';

/** path: stable secret id by host name (hosts.n1.auth.privateKey); field: form path by index (hosts.0.auth.privateKey). */
export type SecretSlot = { path: string; field: string; required: boolean };
type Mapper = (value: unknown, slot: SecretSlot) => unknown;

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

type AnyAuth = NonNullable<AnyClusterSpec['hosts'][number]['auth']>;

function mapAuth(auth: AnyAuth | undefined, fn: Mapper, slot: (name: string, required: boolean) => SecretSlot, required: boolean): unknown {
  if (auth === undefined) return undefined;
  return auth.type === 'key'
    ? compact({ type: 'key', privateKey: fn(auth.privateKey, slot('auth.privateKey', required)), passphrase: fn(auth.passphrase, slot('auth.passphrase', false)) })
    : { type: 'password', password: fn(auth.password, slot('auth.password', required)) };
}

/** Secret paths: hosts.<name>.… per host, hostDefaults.… for the cluster-wide credentials (required when a host inherits them). */
export function mapSecrets(spec: AnyClusterSpec, fn: Mapper): unknown {
  const hosts = spec.hosts.map((h, i) => {
    const p = `hosts.${h.name}`;
    const f = `hosts.${i}`;
    const slot = (name: string, required: boolean): SecretSlot => ({ path: `${p}.${name}`, field: `${f}.${name}`, required });
    return compact({ ...h, auth: mapAuth(h.auth, fn, slot, true), sudoPassword: fn(h.sudoPassword, slot('sudoPassword', false)) });
  });
  const d = spec.hostDefaults;
  const dslot = (name: string, required: boolean): SecretSlot => ({ path: `hostDefaults.${name}`, field: `hostDefaults.${name}`, required });
  const inherited = spec.hosts.some((h) => h.auth === undefined);
  const hostDefaults = d && compact({ ...d, auth: mapAuth(d.auth, fn, dslot, inherited), sudoPassword: fn(d.sudoPassword, dslot('sudoPassword', false)) });
  const pr = spec.registry.privateRegistry;
  const path = 'registry.privateRegistry.password';
  const privateRegistry = pr && compact({ ...pr, password: fn(pr.password, { path, field: path, required: pr.username !== undefined }) });
  return compact({ ...spec, hostDefaults, hosts, registry: compact({ ...spec.registry, privateRegistry }) });
}

export function isSecretSet(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  return typeof value === 'object' && value !== null && (value as SecretState).set === true;
}

export function secretSlots(spec: AnyClusterSpec): Array<SecretSlot & { set: boolean }> {
  const out: Array<SecretSlot & { set: boolean }> = [];
  mapSecrets(spec, (value, slot) => out.push({ ...slot, set: isSecretSet(value) }));
  return out;
}

/** The spec with every secret replaced by { set }: for snapshots, API answers and logs. */
export function redactSpec(spec: AnyClusterSpec): ClusterSpecPublic {
  return mapSecrets(spec, (value) => ({ set: isSecretSet(value) })) as ClusterSpecPublic;
}
