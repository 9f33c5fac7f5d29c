import { AcceptKeyInput, ClusterRef, HostRef, ProbeInput } from '../../contracts/cluster-api';
import { actorFrom } from '../actor';
import { acceptKey } from '../../services/hosts/accept-key';
import { forgetKey } from '../../services/hosts/forget-key';
import { probeAll } from '../../services/hosts/probe-all';
import { probeHost } from '../../services/hosts/probe-host';
import { protectedProcedure, router } from '../init';

export const hostsRouter = router({
  probe: protectedProcedure.input(ProbeInput).mutation(({ ctx, input, signal }) => probeHost(ctx, input, signal)),
  probeAll: protectedProcedure.input(ClusterRef).mutation(({ ctx, input, signal }) => probeAll(ctx, input, signal)),
  acceptKey: protectedProcedure.input(AcceptKeyInput).mutation(({ ctx, input, signal }) => acceptKey(ctx, input, actorFrom(ctx), signal)),
  forgetKey: protectedProcedure.input(HostRef).mutation(({ ctx, input }) => forgetKey(ctx, input, actorFrom(ctx))),
});
