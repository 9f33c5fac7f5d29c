import { ClusterSpec } from '../../contracts/cluster-spec';
import type { AnyClusterSpec } from '../../contracts/cluster-spec';
import { resolveHostDefaults } from '../../contracts/spec-host-defaults';
import { mapSecrets } from '../../contracts/spec-secrets';
import { issuesToErrors } from '../../contracts/spec-validate';
import type { FieldError } from '../../errors';

/** Stands for a secret the render was not given (a stored one, a key file not read): it is never in a rendered file anyway. */
export const SECRET_NOT_GIVEN = 'secret-not-given';
const KEY_NOT_GIVEN = `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET_NOT_GIVEN}\n-----END OPENSSH PRIVATE KEY-----\n`;

/** true when the value is the render's stand-in, not a secret the user gave */
export const notGiven = (value: string | undefined) => value === SECRET_NOT_GIVEN || value === KEY_NOT_GIVEN;

/** A spec with every secret that is not a value filled with a stand-in, checked as a run would check it. */
export function specForRender(input: AnyClusterSpec): { ok: true; spec: ClusterSpec } | { ok: false; errors: FieldError[] } {
  const standIn = (path: string) => (path.endsWith('.privateKey') ? KEY_NOT_GIVEN : SECRET_NOT_GIVEN);
  const filled = mapSecrets(input, (value, slot) => (typeof value === 'string' ? value : slot.required || (value as { set?: boolean } | undefined)?.set ? standIn(slot.path) : undefined));
  // hosts that inherit the cluster's default credentials get them, as the runner's hosts do
  const parsed = ClusterSpec.safeParse(resolveHostDefaults(filled as ClusterSpec));
  return parsed.success ? { ok: true, spec: parsed.data } : { ok: false, errors: issuesToErrors(parsed.error.issues) };
}
