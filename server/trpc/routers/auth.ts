import { clearedSessionCookie, isSecureRequest, sessionCookie } from '../../auth/cookie';
import { changePassword, login, LoginThrottledError, logout } from '../../auth/login';
import { remoteAddress } from '../../auth/request-auth';
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
  me: publicProcedure.query(({ ctx }) => (ctx.user && ctx.session ? { user: ctx.user, expiresAt: ctx.session.expiresAt } : null)),
  logout: protectedProcedure.mutation(({ ctx }) => {
    logout(ctx.db, { user: ctx.user, session: ctx.session }, client(ctx.req));
    ctx.res.appendHeader('set-cookie', clearedSessionCookie(isSecureRequest(ctx.req, ctx.env.KUBEXMS_PUBLIC_ORIGIN)));
    return { ok: true as const };
  }),
  changePassword: protectedProcedure
    .input(z.strictObject({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.db, { user: ctx.user, session: ctx.session }, input, client(ctx.req));
      return { ok: true as const };
    }),
});
