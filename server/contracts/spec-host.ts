import { z } from 'zod';
import { address, fingerprint, label, labelKey, labelValue, LIMITS, passwordSecret, port, posixUser, privateKeySecret, SecretState } from './spec-fields';

export const ROLES = ['etcd', 'control-plane', 'worker'] as const;
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` });

const hostFields = {
  name: label,
  address,
  internalAddress: address.optional(),
  port: port.default(22),
  /** absent: the cluster's hostDefaults.user (root when there is none) */
  user: posixUser.optional(),
  labels: z
    .record(labelKey, labelValue)
    .refine((r) => Object.keys(r).length <= LIMITS.labels, { error: `at most ${LIMITS.labels} labels` })
    .default({}),
  roles: z
    .array(Role)
    .max(ROLES.length)
    .refine((r) => new Set(r).size === r.length, { error: 'roles must not repeat' })
    .default([]),
  hostKeyFingerprint: fingerprint.optional(),
};

// Input secrets are write-only: a string sets it, undefined keeps the stored one, null clears it.
const keyIn = privateKeySecret.nullish();
const pwIn = passwordSecret.nullish();

export const HostAuthInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), privateKey: keyIn, passphrase: pwIn }),
  z.strictObject({ type: z.literal('password'), password: pwIn }),
], { error: 'auth.type must be "key" or "password"' });
/** auth absent: the host uses the cluster's hostDefaults credentials (auth and sudo password). */
export const HostInput = z.strictObject({ ...hostFields, auth: HostAuthInput.optional(), sudoPassword: pwIn });

export const HostAuthPublic = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), privateKey: SecretState, passphrase: SecretState }),
  z.strictObject({ type: z.literal('password'), password: SecretState }),
]);
export const HostPublic = z.strictObject({ ...hostFields, auth: HostAuthPublic.optional(), sudoPassword: SecretState });

export const HostAuth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), privateKey: privateKeySecret, passphrase: passwordSecret.optional() }),
  z.strictObject({ type: z.literal('password'), password: passwordSecret }),
]);
/** A host as the runner uses it: the cluster's defaults already resolved (resolveHostDefaults). */
export const Host = z.strictObject({ ...hostFields, user: posixUser.default('root'), auth: HostAuth, sudoPassword: passwordSecret.optional() });

/** Cluster-wide SSH credentials that every host without its own auth inherits; stored once, secrets encrypted. */
export const HostDefaultsInput = z.strictObject({ user: posixUser.default('root'), auth: HostAuthInput.optional(), sudoPassword: pwIn });
export const HostDefaultsPublic = z.strictObject({ user: posixUser.default('root'), auth: HostAuthPublic.optional(), sudoPassword: SecretState.optional() });
export const HostDefaults = z.strictObject({ user: posixUser.default('root'), auth: HostAuth.optional(), sudoPassword: passwordSecret.optional() });

export type HostInput = z.infer<typeof HostInput>;
export type HostPublic = z.infer<typeof HostPublic>;
export type Host = z.infer<typeof Host>;
export type HostAuth = z.infer<typeof HostAuth>;
