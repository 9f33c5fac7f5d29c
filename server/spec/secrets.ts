import type { ClusterSpec, ClusterSpecInput, ClusterSpecPublic } from '../contracts/cluster-spec';
import { resolveHostDefaults } from '../contracts/spec-host-defaults';
import { mapSecrets, secretSlots } from '../contracts/spec-secrets';

export type SecretValue = { path: string; value: string };
export type SplitResult = { spec: ClusterSpecPublic; secrets: SecretValue[]; cleared: string[] };

export class MissingSecretsError extends Error {
  constructor(readonly paths: string[]) {
    super(`missing secrets: ${paths.join(', ')}`);
    this.name = 'MissingSecretsError';
  }
}

/**
 * Separates secret values from a validated input spec. An undefined secret keeps what was stored before
 * (`previous`: the stored spec, or the set of stored secret paths); null clears it. `cleared` lists stored paths
 * the caller must delete: cleared ones and those no longer in the spec (a host removed or renamed, auth changed).
 */
export function splitSecrets(input: ClusterSpecInput, previous?: ClusterSpecPublic | ReadonlySet<string>): SplitResult {
  const before: ReadonlySet<string> =
    previous instanceof Set ? previous : new Set(previous ? secretSlots(previous as ClusterSpecPublic).filter((s) => s.set).map((s) => s.path) : []);
  const secrets: SecretValue[] = [];
  const kept = new Set<string>();
  const spec = mapSecrets(input, (value, slot) => {
    if (typeof value === 'string') {
      secrets.push({ path: slot.path, value });
      kept.add(slot.path);
      return { set: true };
    }
    const set = value === undefined && before.has(slot.path);
    if (set) kept.add(slot.path);
    return { set };
  }) as ClusterSpecPublic;
  return { spec, secrets, cleared: [...before].filter((p) => !kept.has(p)) };
}

/** Puts stored secrets back for the runner, hosts' inherited credentials resolved; throws MissingSecretsError when a set or required secret has no value. */
export function mergeSecrets(stored: ClusterSpecPublic, secretsByPath: ReadonlyMap<string, string> | Readonly<Record<string, string>>): ClusterSpec {
  const get = (p: string) =>
    secretsByPath instanceof Map ? secretsByPath.get(p) : Object.hasOwn(secretsByPath, p) ? (secretsByPath as Record<string, string>)[p] : undefined;
  const missing: string[] = [];
  const spec = mapSecrets(stored, (value, slot) => {
    const v = get(slot.path);
    if (v === undefined && (slot.required || (value as { set?: boolean } | undefined)?.set)) missing.push(slot.path);
    return v;
  }) as ClusterSpec;
  if (missing.length > 0) throw new MissingSecretsError(missing);
  return resolveHostDefaults(spec);
}

/** Fills secrets into an input spec (e.g. the CLI reading privateKeyPath files); given values win. */
export function withSecrets(input: ClusterSpecInput, secretsByPath: Readonly<Record<string, string>>): ClusterSpecInput {
  return mapSecrets(input, (value, slot) => (Object.hasOwn(secretsByPath, slot.path) ? secretsByPath[slot.path] : value)) as ClusterSpecInput;
}
