import { protectedProcedure, router } from '../init';

export const systemRouter = router({
  info: protectedProcedure.query(({ ctx }) => ({
    name: 'kubexms',
    version: ctx.version,
    node: process.version,
    startedAt: ctx.startedAt,
    serverTime: Date.now(),
  })),
});
