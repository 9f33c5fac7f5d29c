import { auditFacets, listAudit } from '../../audit/audit';
import { protectedProcedure, router, z } from '../init';

const time = z.number().int().min(0);

export const auditRouter = router({
  list: protectedProcedure
    .input(
      z
        .strictObject({
          cursor: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(200).default(50),
          action: z.string().max(64).optional(),
          actor: z.string().max(128).optional(),
          clusterId: z.number().int().positive().optional(),
          from: time.optional(),
          to: time.optional(),
        })
        .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { error: 'the start of the time range is after its end', path: ['to'] })
        .prefault({}),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  facets: protectedProcedure.query(({ ctx }) => auditFacets(ctx.db)),
});
