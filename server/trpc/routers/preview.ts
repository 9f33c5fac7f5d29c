import { z } from 'zod';
import { PIPELINE_NAMES } from '../../catalog/pipelines';
import { previewSpec } from '../../services/preview/preview-spec';
import { protectedProcedure, router } from '../init';

export const previewRouter = router({
  spec: protectedProcedure
    .input(z.strictObject({ spec: z.unknown(), pipeline: z.enum(PIPELINE_NAMES) }))
    .query(({ input }) => previewSpec(input)),
});
