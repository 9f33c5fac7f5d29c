import { z } from 'zod';
import { PipelineName } from '../../contracts/pipelines';
import { InstallModule } from '../../contracts/run-phases';
import { previewSpec } from '../../services/preview/preview-spec';
import { renderSpecFiles } from '../../services/preview/render-files';
import { protectedProcedure, router } from '../init';

export const previewRouter = router({
  spec: protectedProcedure
    .input(z.strictObject({ spec: z.unknown(), pipeline: PipelineName, nodes: z.array(z.string().min(1).max(63)).min(1).max(1000).optional(), until: InstallModule.optional() }))
    .query(({ input }) => previewSpec(input)),
  files: protectedProcedure
    .input(z.strictObject({ spec: z.unknown() }))
    .query(({ input, ctx }) => renderSpecFiles(input, { dataDir: ctx.env.dataDir })),
});
