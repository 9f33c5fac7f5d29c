import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { ServiceError, type FieldError } from '../errors';
import type { Context } from './context';

function zodFieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors = cause instanceof ZodError ? zodFieldErrors(cause) : cause instanceof ServiceError ? cause.fieldErrors : [];
    return { ...shape, data: { ...shape.data, stack: undefined, fieldErrors } };
  },
});

const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapServiceErrors);

const requireSession = t.middleware(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'login required' });
  return next({ ctx: { user: ctx.user, session: ctx.session } });
});

/** Every procedure but auth.login / auth.me: ctx.user and ctx.session are set. */
export const protectedProcedure = publicProcedure.use(requireSession);
export { z };
