import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { ServiceError, type FieldError } from '../errors';
import { allows, procedureRule, WHILE_PASSWORD_EXPIRED } from '../contracts/access';
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

/** The one authorization check of every procedure, from the table in contracts/access.ts; no entry = refused. */
const authorize = t.middleware(({ ctx, path, next }) => {
  const rule = procedureRule(path);
  if (rule === undefined) throw new TRPCError({ code: 'FORBIDDEN', message: `no authorization rule for ${path}` });
  if (rule === 'public') return next();
  if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'login required' });
  if (ctx.user.mustChangePassword && !WHILE_PASSWORD_EXPIRED.has(path)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'change your password first' });
  }
  if (!allows(ctx.user.role, rule)) throw new TRPCError({ code: 'FORBIDDEN', message: `${path} needs the ${rule} role; you are ${ctx.user.role}` });
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapServiceErrors).use(authorize);

const requireSession = t.middleware(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'login required' });
  return next({ ctx: { user: ctx.user, session: ctx.session } });
});

/** Every procedure but the public ones: ctx.user and ctx.session are set. Which role may call it: contracts/access.ts. */
export const protectedProcedure = publicProcedure.use(requireSession);
export { z };
