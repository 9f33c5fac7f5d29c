import { publicProcedure, router } from '../init';

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ({
    name: 'kubexms',
    version: ctx.version,
    node: process.version,
    startedAt: ctx.startedAt,
    serverTime: Date.now(),
  })),
});
