import { ClusterRef, CreateClusterInput, DeleteClusterInput, ImportKubeKeyInput, SaveDraftInput, UpdateClusterInput } from '../../contracts/cluster-api';
import { createCluster } from '../../services/clusters/create-cluster';
import { deleteCluster } from '../../services/clusters/delete-cluster';
import { actorFrom } from '../actor';
import { getCluster } from '../../services/clusters/get-cluster';
import { exportKubeKey, importKubeKey } from '../../services/clusters/kubekey';
import { listClusters } from '../../services/clusters/list-clusters';
import { saveDraft } from '../../services/clusters/save-draft';
import { updateCluster } from '../../services/clusters/update-cluster';
import { getClusterStatus } from '../../services/status/cluster-status';
import { downloadKubeconfig } from '../../services/clusters/download-kubeconfig';
import { KubeconfigInput } from '../../contracts/kubeconfig-api';
import { AddNodesInput } from '../../contracts/add-nodes-api';
import { addNodes } from '../../services/clusters/add-nodes';
import { protectedProcedure, router } from '../init';

export const clustersRouter = router({
  list: protectedProcedure.query(({ ctx }) => listClusters(ctx)),
  get: protectedProcedure.input(ClusterRef).query(({ ctx, input }) => getCluster(ctx, input)),
  create: protectedProcedure.input(CreateClusterInput).mutation(({ ctx, input }) => createCluster(ctx, input, actorFrom(ctx))),
  update: protectedProcedure.input(UpdateClusterInput).mutation(({ ctx, input }) => updateCluster(ctx, input, actorFrom(ctx))),
  saveDraft: protectedProcedure.input(SaveDraftInput).mutation(({ ctx, input }) => saveDraft(ctx, input)),
  delete: protectedProcedure.input(DeleteClusterInput).mutation(({ ctx, input }) => deleteCluster(ctx, input, actorFrom(ctx))),
  importKubeKey: protectedProcedure.input(ImportKubeKeyInput).mutation(({ input }) => importKubeKey(input)),
  kubeconfig: protectedProcedure.input(KubeconfigInput).mutation(({ ctx, input }) => downloadKubeconfig(ctx, input, actorFrom(ctx))),
  addNodes: protectedProcedure.input(AddNodesInput).mutation(({ ctx, input }) => addNodes(ctx, input, actorFrom(ctx))),
  status: protectedProcedure.input(ClusterRef).query(({ ctx, input }) => getClusterStatus(ctx, input)),
  exportKubeKey: protectedProcedure.input(ClusterRef).query(({ ctx, input }) => exportKubeKey(ctx, input)),
});
