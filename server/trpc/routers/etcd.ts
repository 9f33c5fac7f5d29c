import { EtcdClusterRef, EtcdRestoreInput, EtcdScheduleInput } from '../../contracts/etcd-api';
import { etcdBackupsOf, etcdCertificates, etcdScheduleOf, setEtcdSchedule, startCertRenewal, startEtcdBackup, startEtcdRestore, startEtcdRoll } from '../../services/etcd/etcd-services';
import { actorFrom } from '../actor';
import { protectedProcedure, router } from '../init';

export const etcdRouter = router({
  backups: protectedProcedure.input(EtcdClusterRef).query(({ ctx, input }) => etcdBackupsOf(ctx, input)),
  certificates: protectedProcedure.input(EtcdClusterRef).query(({ ctx, input }) => etcdCertificates(ctx, input)),
  schedule: protectedProcedure.input(EtcdClusterRef).query(({ ctx, input }) => etcdScheduleOf(ctx, input)),
  setSchedule: protectedProcedure.input(EtcdScheduleInput).mutation(({ ctx, input }) => setEtcdSchedule(ctx, input, actorFrom(ctx))),
  backup: protectedProcedure.input(EtcdClusterRef).mutation(({ ctx, input }) => startEtcdBackup(ctx, input, actorFrom(ctx))),
  restore: protectedProcedure.input(EtcdRestoreInput).mutation(({ ctx, input }) => startEtcdRestore(ctx, input, actorFrom(ctx))),
  renewCerts: protectedProcedure.input(EtcdClusterRef).mutation(({ ctx, input }) => startCertRenewal(ctx, input, actorFrom(ctx))),
  roll: protectedProcedure.input(EtcdClusterRef).mutation(({ ctx, input }) => startEtcdRoll(ctx, input, actorFrom(ctx))),
});
