import { listSessions, revokeSessionOf } from '../../auth/session-list';
import { audit } from '../../audit/audit';
import { CreateUserInput, UpdateUserInput, UserRef, UserSessionRef } from '../../contracts/users-api';
import { actorFrom } from '../actor';
import { createUser, deleteUser, listUsers, resetPassword, updateUser } from '../../services/users/manage-users';
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
  sessions: protectedProcedure.input(UserRef).query(({ ctx, input }) => listSessions(ctx.db, input.userId, ctx.session.tokenHash)),
  revokeSession: protectedProcedure.input(UserSessionRef).mutation(({ ctx, input }) => {
    revokeSessionOf(ctx.db, input.userId, input.sessionId);
    audit(ctx.db, { ...actorFrom(ctx), action: 'user.sessions_revoked', target: `user #${input.userId}`, detail: { userId: input.userId, sessions: 1 } });
    return { ok: true as const };
  }),
});
