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
  user: posixUser.default('root'),
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
export const HostInput = z.strictObject({ ...hostFields, auth: HostAuthInput, sudoPassword: pwIn });

export const HostAuthPublic = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), privateKey: SecretState, passphrase: SecretState }),
  z.strictObject({ type: z.literal('password'), password: SecretState }),
]);
export const HostPublic = z.strictObject({ ...hostFields, auth: HostAuthPublic, sudoPassword: SecretState });

export const HostAuth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), privateKey: privateKeySecret, passphrase: passwordSecret.optional() }),
  z.strictObject({ type: z.literal('password'), password: passwordSecret }),
]);
export const Host = z.strictObject({ ...hostFields, auth: HostAuth, sudoPassword: passwordSecret.optional() });

export type HostInput = z.infer<typeof HostInput>;
export type HostPublic = z.infer<typeof HostPublic>;
export type Host = z.infer<typeof Host>;
export type HostAuth = z.infer<typeof HostAuth>;
