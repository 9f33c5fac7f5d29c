import { LogsPageInput } from '../../contracts/run-api';
import { pageLogs } from '../../services/logs/page-logs';
import { protectedProcedure, router } from '../init';

export const logsRouter = router({
  page: protectedProcedure.input(LogsPageInput).query(({ ctx, input }) => pageLogs(ctx, input)),
});
