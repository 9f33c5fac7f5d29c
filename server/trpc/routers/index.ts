import { router } from '../init';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { clustersRouter } from './clusters';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  audit: auditRouter,
  clusters: clustersRouter,
});

export type AppRouter = typeof appRouter;
