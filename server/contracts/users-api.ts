import { z } from 'zod';
import { ROLES, type Role } from './access';

export const UserId = z.number({ error: 'must be a user id' }).int().positive();
export const Username = z
  .string()
  .trim()
  .min(1, { error: 'required' })
  .max(64, { error: 'at most 64 characters' })
  .regex(/^[a-z0-9][a-z0-9._@-]*$/, { error: 'lower-case letters, digits and . _ @ - only' });
export const RoleInput = z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` });
/** A session is named by an id derived from its stored hash; neither the token nor its hash leaves the server. */
export const SessionId = z.string().regex(/^[0-9a-f]{24}$/, { error: 'not a session id' });

export const CreateUserInput = z.strictObject({ username: Username, role: RoleInput });
export const UpdateUserInput = z.strictObject({ userId: UserId, role: RoleInput.optional(), disabled: z.boolean().optional() });
export const UserRef = z.strictObject({ userId: UserId });
export const UserSessionRef = z.strictObject({ userId: UserId, sessionId: SessionId });
export const SessionRef = z.strictObject({ sessionId: SessionId });
export const CreateTokenInput = z.strictObject({ name: z.string().trim().min(1, { error: 'required' }).max(64, { error: 'at most 64 characters' }) });
export const TokenRef = z.strictObject({ tokenId: z.number().int().positive() });
export const CreateUserTokenInput = z.strictObject({ userId: UserId, name: CreateTokenInput.shape.name });
export const UserTokenRef = z.strictObject({ userId: UserId, tokenId: TokenRef.shape.tokenId });

export type UserInfo = { id: number; username: string; role: Role; disabled: boolean; mustChangePassword: boolean; sso: boolean; createdAt: number; lastSeenAt: number | null; sessions: number };
export type SessionInfo = { id: string; createdAt: number; lastSeenAt: number; expiresAt: number; address: string | null; userAgent: string | null; current: boolean };
export type TokenInfo = { id: number; name: string; createdAt: number; lastUsedAt: number | null };
