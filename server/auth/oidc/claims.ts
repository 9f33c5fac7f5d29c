import type { Role } from '../../contracts/access';
import type { OidcSettings } from './env';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export type OidcClaims = Record<string, unknown> & { sub: string };

/**
 * The role a signed-in identity gets: the highest role its groups (the role claim) map to; else, for a verified email
 * in an allowed domain, the default role; else null (refused).
 */
export function roleFromClaims(settings: Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'allowedDomains' | 'defaultRole'>, claims: OidcClaims): Role | null {
  const raw = claims[settings.roleClaim];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  let best: Role | null = null;
  for (const g of groups) {
    const role = settings.roleMap.get(g);
    if (role && (best === null || RANK[role] > RANK[best])) best = role;
  }
  if (best) return best;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  const domain = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
  if (domain && claims.email_verified === true && settings.allowedDomains.includes(domain)) return settings.defaultRole;
  return null;
}

/** The kubexms user name of an identity: its email, else preferred_username, else the subject. */
export function usernameFromClaims(claims: OidcClaims): string {
  const pick = [claims.email, claims.preferred_username, claims.sub].find((v): v is string => typeof v === 'string' && v.length > 0) ?? claims.sub;
  return pick.toLowerCase().replace(/[^a-z0-9._@-]/g, '-').slice(0, 64);
}
