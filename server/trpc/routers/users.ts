import { listSessions, revokeSessionOf } from '../../auth/session-list';
import { audit } from '../../audit/audit';
import { CreateUserInput, CreateUserTokenInput, UpdateUserInput, UserRef, UserSessionRef, UserTokenRef } from '../../contracts/users-api';
import { actorFrom } from '../actor';
import { createUser, deleteUser, getUser, listUsers, resetPassword, updateUser } from '../../services/users/manage-users';
import { createTokenFor, refuseTokenCaller, revokeTokenOf, tokensOf } from '../../services/users/user-tokens';
import { protectedProcedure, router } from '../init';

const adminOf = (ctx: Parameters<typeof actorFrom>[0] & { user: { id: number } }) => ({ ...actorFrom(ctx), userId: ctx.user.id });

export const usersRouter = router({
  list: protectedProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: protectedProcedure.input(CreateUserInput).mutation(({ ctx, input }) => createUser(ctx.db, input, adminOf(ctx))),
  update: protectedProcedure.input(UpdateUserInput).mutation(({ ctx, input }) => updateUser(ctx.db, input, adminOf(ctx))),
  resetPassword: protectedProcedure.input(UserRef).mutation(({ ctx, input }) => resetPassword(ctx.db, input.userId, adminOf(ctx))),
  delete: protectedProcedure.input(UserRef).mutation(({ ctx, input }) => {
    deleteUser(ctx.db, input.userId, adminOf(ctx));
    return { ok: true as const };
  }),
  sessions: protectedProcedure.input(UserRef).query(({ ctx, input }) => {
    getUser(ctx.db, input.userId);
    return listSessions(ctx.db, input.userId, ctx.session.tokenHash);
  }),
  revokeSession: protectedProcedure.input(UserSessionRef).mutation(({ ctx, input }) => {
    const user = getUser(ctx.db, input.userId);
    revokeSessionOf(ctx.db, user.id, input.sessionId);
    audit(ctx.db, { ...actorFrom(ctx), action: 'user.sessions_revoked', target: user.username, detail: { userId: user.id, sessions: 1 } });
    return { ok: true as const };
  }),
  tokens: protectedProcedure.input(UserRef).query(({ ctx, input }) => tokensOf(ctx.db, input.userId)),
  createToken: protectedProcedure.input(CreateUserTokenInput).mutation(({ ctx, input }) => {
    refuseTokenCaller(ctx.session);
    return createTokenFor(ctx.db, input, adminOf(ctx));
  }),
  revokeToken: protectedProcedure.input(UserTokenRef).mutation(({ ctx, input }) => {
    revokeTokenOf(ctx.db, input, adminOf(ctx));
    return { ok: true as const };
  }),
});
