import { audit } from '../../audit/audit';
import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens';
import type { TokenInfo } from '../../contracts/users-api';
import type { Db } from '../../db/client';
import { ServiceError } from '../../errors';
import { getUser, type Admin } from './manage-users';

/** Who creates a token must have signed in: a token minting tokens would outlive its own revocation. */
export function refuseTokenCaller(session: { token?: unknown } | null): void {
  if (session?.token) throw new ServiceError('FORBIDDEN', 'a CLI token cannot create tokens; sign in to create one');
}

export function tokensOf(db: Db, userId: number): TokenInfo[] {
  getUser(db, userId);
  return listApiTokens(db, userId);
}

/** A token for another user (a service account for CI, say), shown once to the admin; audited with both names. */
export function createTokenFor(db: Db, input: { userId: number; name: string }, by: Admin): { token: string; info: TokenInfo } {
  const user = getUser(db, input.userId);
  if (user.disabledAt !== null) throw new ServiceError('CONFLICT', `${user.username} is disabled; enable the user first`);
  const created = createApiToken(db, user.id, input.name);
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'auth.token_created', target: input.name, detail: { tokenId: created.info.id, userId: user.id, user: user.username } });
  return created;
}

export function revokeTokenOf(db: Db, input: { userId: number; tokenId: number }, by: Admin): void {
  const user = getUser(db, input.userId);
  const name = revokeApiToken(db, user.id, input.tokenId);
  audit(db, { actor: by.actor, address: by.address ?? null, action: 'auth.token_revoked', target: name, detail: { tokenId: input.tokenId, userId: user.id, user: user.username } });
}
