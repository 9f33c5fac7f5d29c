import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Role } from '../../contracts/access';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { ServiceError } from '../../errors';
import { sessionEvents } from '../session-events';

/** No scrypt hash matches this: a single sign-on user has no password. */
const NO_PASSWORD = '!sso';

/** The kubexms user of an identity, created at its first login; its role follows the provider's claims at every login. */
export function provisionOidcUser(db: Db, subject: string, username: string, role: Role, address: string): typeof users.$inferSelect {
  const existing = db.select().from(users).where(eq(users.oidcSubject, subject)).get();
  if (existing) {
    if (existing.disabledAt !== null) throw new ServiceError('FORBIDDEN', 'this account is disabled; ask an admin');
    if (existing.role === role) return existing;
    const updated = db.update(users).set({ role, updatedAt: Date.now() }).where(eq(users.id, existing.id)).returning().get();
    sessionEvents.emit('userChanged', existing.id);
    audit(db, { actor: existing.username, action: 'user.updated', target: existing.username, address, detail: { userId: existing.id, role, via: 'oidc claims' } });
    return updated;
  }
  if (db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) {
    throw new ServiceError('CONFLICT', `a local user named "${username}" already exists; ask an admin to rename or delete it`);
  }
  const created = db.insert(users).values({ username, role, passwordHash: NO_PASSWORD, oidcSubject: subject }).returning().get();
  audit(db, { actor: username, action: 'user.created', target: username, address, detail: { userId: created.id, role, via: 'oidc' } });
  return created;
}
