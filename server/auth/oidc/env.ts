import { z } from 'zod';
import { ROLES, type Role } from '../../contracts/access';

const ROLE_MAP = /^\s*[^=,\s][^=,]*=\s*(viewer|operator|admin)\s*(,\s*[^=,\s][^=,]*=\s*(viewer|operator|admin)\s*)*$/;
const optional = (schema: z.ZodString) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Single sign-on settings (README: "Single sign-on"); all optional, off without an issuer. */
export const OidcEnv = {
  KUBEXMS_OIDC_ISSUER: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  KUBEXMS_OIDC_CLIENT_ID: optional(z.string().min(1)),
  KUBEXMS_OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  KUBEXMS_OIDC_ALLOWED_DOMAINS: optional(z.string().regex(/^\s*[a-z0-9.-]+\s*(,\s*[a-z0-9.-]+\s*)*$/i, { error: 'a comma-separated list of email domains' })),
  KUBEXMS_OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  KUBEXMS_OIDC_ROLE_MAP: optional(z.string().regex(ROLE_MAP, { error: 'group=role pairs separated by commas, role one of viewer, operator, admin' })),
  KUBEXMS_OIDC_DEFAULT_ROLE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ROLES).default('viewer')),
  KUBEXMS_OIDC_NAME: z.string().min(1).max(40).default('single sign-on'),
};

type OidcEnvValues = { [K in keyof typeof OidcEnv]: z.infer<(typeof OidcEnv)[K]> };

export function requireOidcClient(env: Partial<OidcEnvValues>, ctx: z.RefinementCtx): void {
  if (!env.KUBEXMS_OIDC_ISSUER) return;
  if (!env.KUBEXMS_OIDC_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['KUBEXMS_OIDC_CLIENT_ID'], message: 'required when KUBEXMS_OIDC_ISSUER is set' });
  if (!env.KUBEXMS_OIDC_ALLOWED_DOMAINS && !env.KUBEXMS_OIDC_ROLE_MAP) {
    ctx.addIssue({ code: 'custom', path: ['KUBEXMS_OIDC_ROLE_MAP'], message: 'set KUBEXMS_OIDC_ROLE_MAP or KUBEXMS_OIDC_ALLOWED_DOMAINS, or nobody could sign in' });
  }
}

export type OidcSettings = {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  allowedDomains: string[];
  roleClaim: string;
  roleMap: Map<string, Role>;
  defaultRole: Role;
  name: string;
};

export function oidcSettings(env: Partial<OidcEnvValues>): OidcSettings | null {
  if (!env.KUBEXMS_OIDC_ISSUER || !env.KUBEXMS_OIDC_CLIENT_ID) return null;
  const roleMap = new Map<string, Role>();
  for (const pair of (env.KUBEXMS_OIDC_ROLE_MAP ?? '').split(',').filter((p) => p.includes('='))) {
    const [group, role] = pair.split('=').map((x) => x.trim()) as [string, Role];
    roleMap.set(group, role);
  }
  return {
    issuer: new URL(env.KUBEXMS_OIDC_ISSUER),
    clientId: env.KUBEXMS_OIDC_CLIENT_ID,
    clientSecret: env.KUBEXMS_OIDC_CLIENT_SECRET,
    allowedDomains: (env.KUBEXMS_OIDC_ALLOWED_DOMAINS ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    roleClaim: env.KUBEXMS_OIDC_ROLE_CLAIM ?? 'groups',
    roleMap,
    defaultRole: env.KUBEXMS_OIDC_DEFAULT_ROLE ?? 'viewer',
    name: env.KUBEXMS_OIDC_NAME ?? 'single sign-on',
  };
}
