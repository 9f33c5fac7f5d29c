import { listAudit } from '../../audit/audit';
import { protectedProcedure, router, z } from '../init';

export const auditRouter = router({
  list: protectedProcedure
    .input(z.strictObject({ cursor: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200).default(50), action: z.string().max(64).optional() }).prefault({}))
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
