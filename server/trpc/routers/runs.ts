import { CompareRunsInput, ListRunsInput, RepeatRunInput, RunRef, StartRunInput } from '../../contracts/run-api';
import { actorFrom } from '../actor';
import { cancelRun } from '../../services/runs/cancel-run';
import { compareRuns } from '../../services/runs/compare-runs';
import { estimateRun } from '../../services/runs/estimate-run';
import { getRun } from '../../services/runs/get-run';
import { deletedClusterNames, listRuns } from '../../services/runs/list-runs';
import { preflightReport } from '../../services/runs/preflight-report';
import { retryRun } from '../../services/runs/retry-run';
import { startRun } from '../../services/runs/start-run';
import { protectedProcedure, router } from '../init';

export const runsRouter = router({
  start: protectedProcedure.input(StartRunInput).mutation(({ ctx, input }) => startRun(ctx, input, actorFrom(ctx))),
  cancel: protectedProcedure.input(RunRef).mutation(({ ctx, input }) => cancelRun(ctx, input, actorFrom(ctx))),
  retry: protectedProcedure.input(RepeatRunInput).mutation(({ ctx, input }) => retryRun(ctx, input, 'all', actorFrom(ctx))),
  rerunFailed: protectedProcedure.input(RepeatRunInput).mutation(({ ctx, input }) => retryRun(ctx, input, 'failed', actorFrom(ctx))),
  get: protectedProcedure.input(RunRef).query(({ ctx, input }) => getRun(ctx, input)),
  compare: protectedProcedure.input(CompareRunsInput).query(({ ctx, input }) => compareRuns(ctx, input)),
  estimate: protectedProcedure.input(RunRef).query(({ ctx, input }) => estimateRun(ctx, input)),
  preflightReport: protectedProcedure.input(RunRef).query(({ ctx, input }) => preflightReport(ctx, input)),
  list: protectedProcedure.input(ListRunsInput).query(({ ctx, input }) => listRuns(ctx, input)),
  deletedClusters: protectedProcedure.query(({ ctx }) => deletedClusterNames(ctx)),
  pipelines: protectedProcedure.query(({ ctx }) => ctx.runner.registry.names()),
});
