import { router } from '../init';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { systemRouter } from './system';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
