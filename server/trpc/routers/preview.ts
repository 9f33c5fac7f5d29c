import { z } from 'zod';
import { PipelineName } from '../../contracts/pipelines';
import { previewSpec } from '../../services/preview/preview-spec';
import { protectedProcedure, router } from '../init';

export const previewRouter = router({
  spec: protectedProcedure
    .input(z.strictObject({ spec: z.unknown(), pipeline: PipelineName }))
    .query(({ input }) => previewSpec(input)),
});
