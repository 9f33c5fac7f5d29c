import { z } from 'zod';
import { address, line, LIMITS } from './spec-fields';

export const LIMITS_SYSTEM = { script: 64 * 1024, material: 4 * 1024 * 1024, materials: 16, hooks: 32 } as const;

const PACKAGE = /^[a-z0-9][a-z0-9+._-]{0,127}$/;
const TIMEZONE = /^(UTC|[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2})$/;
const FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

const pkg = line(128).regex(PACKAGE, { error: 'must be a package name such as nfs-common' });

/** a file a hook script needs, copied next to it on every host (KubeKey's materials) */
export const Material = z.strictObject({
  name: line(128).regex(FILE_NAME, { error: 'must be a file name (letters, digits, ".", "_", "-")' }).refine((n) => n !== '.' && n !== '..', { error: 'must be a file name' }),
  content: z.string().max(LIMITS_SYSTEM.material, { error: `at most ${LIMITS_SYSTEM.material} bytes` }),
});

/** KubeKey's CustomScripts.role: the hosts a hook runs on (k8s: control planes and workers); absent = every host */
export const HOOK_ROLES = ['etcd', 'control-plane', 'worker', 'k8s'] as const;
export type HookRole = (typeof HOOK_ROLES)[number];

/** KubeKey's preInstall / postInstall entry: a shell command line run with bash on every host (or those of `role`), its materials beside it */
export const Hook = z.strictObject({
  name: line(128).min(1, { error: 'must not be empty' }),
  bash: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).max(LIMITS_SYSTEM.script, { error: `at most ${LIMITS_SYSTEM.script} bytes` })
    .refine((s) => !s.includes('\u0000'), { error: 'must not contain NUL' }),
  materials: z.array(Material).max(LIMITS_SYSTEM.materials).default([]),
  role: z.enum(HOOK_ROLES, { error: `must be one of: ${HOOK_ROLES.join(', ')}` }).optional(),
});

export const System = z.strictObject({
  /** chrony's servers; a name from hosts means that host's internal address (that host then serves time to the others) */
  ntpServers: z.array(address).max(16).default([]),
  timezone: line(64).regex(TIMEZONE, { error: 'must be an IANA time zone such as Asia/Shanghai or UTC' }).optional(),
  rpms: z.array(pkg).max(LIMITS.list).default([]),
  debs: z.array(pkg).max(LIMITS.list).default([]),
  preInstall: z.array(Hook).max(LIMITS_SYSTEM.hooks).default([]),
  postInstall: z.array(Hook).max(LIMITS_SYSTEM.hooks).default([]),
  /** no kernel modules, sysctl, /etc/hosts, chrony or timezone changes: the hosts are prepared by other means */
  skipConfigureOS: z.boolean({ error: 'must be true or false' }).default(false),
});
export type System = z.infer<typeof System>;
export type Hook = z.infer<typeof Hook>;
