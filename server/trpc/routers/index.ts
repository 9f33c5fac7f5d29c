import { router } from '../init';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { clustersRouter } from './clusters';
import { etcdRouter } from './etcd';
import { hostsRouter } from './hosts';
import { logsRouter } from './logs';
import { previewRouter } from './preview';
import { runsRouter } from './runs';
import { systemRouter } from './system';
import { usersRouter } from './users';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  audit: auditRouter,
  clusters: clustersRouter,
  hosts: hostsRouter,
  runs: runsRouter,
  etcd: etcdRouter,
  logs: logsRouter,
  preview: previewRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
