import { createApiToken, listApiTokens, revokeApiToken } from '../../auth/api-tokens';
import { audit } from '../../audit/audit';
import { clearedSessionCookie, isSecureRequest, sessionCookie } from '../../auth/cookie';
import { oidcSettings } from '../../auth/oidc/env';
import { changePassword, login, LoginThrottledError, logout } from '../../auth/login';
import { remoteAddress } from '../../auth/request-auth';
import { endAllSessions, listSessions, revokeSessionOf } from '../../auth/session-list';
import { CreateTokenInput, SessionRef, TokenRef } from '../../contracts/users-api';
import { refuseTokenCaller } from '../../services/users/user-tokens';
import { actorFrom } from '../actor';
import { protectedProcedure, publicProcedure, router, z } from '../init';

const client = (req: Parameters<typeof remoteAddress>[0]) => ({ address: remoteAddress(req), userAgent: req.headers['user-agent'] });

export const authRouter = router({
  login: publicProcedure
    .input(z.strictObject({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      try {
        const { token, user, session } = await login(ctx, input, client(ctx.req));
        ctx.res.appendHeader('set-cookie', sessionCookie(token, isSecureRequest(ctx.req, ctx.env.KUBEXMS_PUBLIC_ORIGIN)));
        return { user, expiresAt: session.expiresAt };
      } catch (err) {
        if (err instanceof LoginThrottledError) ctx.res.setHeader('retry-after', String(err.retryAfter));
        throw err;
      }
    }),
  /** Whether the login page offers single sign-on, and its label. */
  sso: publicProcedure.query(({ ctx }) => {
    const settings = oidcSettings(ctx.env);
    return settings ? { name: settings.name } : null;
  }),
  me: publicProcedure.query(({ ctx }) => (ctx.user && ctx.session ? { user: ctx.user, expiresAt: ctx.session.expiresAt } : null)),
  logout: protectedProcedure.mutation(({ ctx }) => {
    logout(ctx.db, { user: ctx.user, session: ctx.session }, client(ctx.req));
    ctx.res.appendHeader('set-cookie', clearedSessionCookie(isSecureRequest(ctx.req, ctx.env.KUBEXMS_PUBLIC_ORIGIN)));
    return { ok: true as const };
  }),
  logoutEverywhere: protectedProcedure.mutation(({ ctx }) => {
    const ended = endAllSessions(ctx.db, ctx.user.id);
    audit(ctx.db, { ...actorFrom(ctx), action: 'auth.sessions_revoked', detail: { sessions: ended, everywhere: true } });
    ctx.res.appendHeader('set-cookie', clearedSessionCookie(isSecureRequest(ctx.req, ctx.env.KUBEXMS_PUBLIC_ORIGIN)));
    return { ended };
  }),
  changePassword: protectedProcedure
    .input(z.strictObject({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.db, { user: ctx.user, session: ctx.session }, input, client(ctx.req));
      return { ok: true as const };
    }),
  sessions: protectedProcedure.query(({ ctx }) => listSessions(ctx.db, ctx.user.id, ctx.session.tokenHash)),
  revokeSession: protectedProcedure.input(SessionRef).mutation(({ ctx, input }) => {
    revokeSessionOf(ctx.db, ctx.user.id, input.sessionId);
    audit(ctx.db, { ...actorFrom(ctx), action: 'auth.sessions_revoked', detail: { sessions: 1 } });
    return { ok: true as const };
  }),
  tokens: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.user.id)),
  createToken: protectedProcedure.input(CreateTokenInput).mutation(({ ctx, input }) => {
    refuseTokenCaller(ctx.session);
    const created = createApiToken(ctx.db, ctx.user.id, input.name);
    audit(ctx.db, { ...actorFrom(ctx), action: 'auth.token_created', target: input.name, detail: { tokenId: created.info.id } });
    return created;
  }),
  revokeToken: protectedProcedure.input(TokenRef).mutation(({ ctx, input }) => {
    const name = revokeApiToken(ctx.db, ctx.user.id, input.tokenId);
    audit(ctx.db, { ...actorFrom(ctx), action: 'auth.token_revoked', target: name, detail: { tokenId: input.tokenId } });
    return { ok: true as const };
  }),
});
