import { allowOnExistingNodes } from '../common/add-nodes';
import type { ClusterSpec, KxModule, KxTask, SpecHost } from '../common/types';
import { containerdResetTasks } from '../containerd/tasks';
import { etcdResetTasks } from '../etcd/tasks';
import { kernelResetTasks } from '../kernel/tasks';
import { kubernetesResetTasks } from '../kubernetes/tasks';
import { preflightResetTasks } from '../preflight/tasks';
import { removalRefusal } from './quorum';
import { drainNodes, removeEtcdMembers } from './steps';

const firstStaying = (spec: ClusterSpec, role: SpecHost['roles'][number], removed: ReadonlySet<string>) => spec.hosts.find((h) => h.roles.includes(role) && !removed.has(h.name))?.name;

/**
 * Kubernetes first (drain from a control plane that stays, then kubeadm reset on the node), then etcd (member remove
 * through a member that stays, then the removed member is stopped), then the same clean-up as resetCluster. The caller
 * narrows every task but the two "from a staying host" ones to the removed nodes.
 */
export function removeNodesModules(spec: ClusterSpec, removed: ReadonlySet<string>): KxModule[] {
  const refusal = removalRefusal(spec, removed);
  if (refusal) throw new RangeError(refusal);
  const cp = firstStaying(spec, 'control-plane', removed);
  const member = firstStaying(spec, 'etcd', removed);
  const fromStaying = (name: string, host: string | undefined, task: Omit<KxTask, 'name'>): KxTask[] =>
    host ? [allowOnExistingNodes({ name, ...task, filter: (h) => h.name === host })] : [];
  return [
    {
      name: 'Remove from Kubernetes',
      tasks: [...fromStaying('Drain the removed nodes', cp, { runOnRoles: ['control-plane'], steps: [drainNodes(removed)] }), ...kubernetesResetTasks(spec)],
    },
    {
      name: 'Remove from etcd',
      tasks: [...fromStaying('Remove the etcd members', member, { runOnRoles: ['etcd'], steps: [removeEtcdMembers(removed)] }), ...etcdResetTasks(spec)],
    },
    { name: 'Reset containerd', tasks: containerdResetTasks(spec) },
    { name: 'Reset kernel settings', tasks: kernelResetTasks(spec) },
    { name: 'Restore swap', tasks: preflightResetTasks(spec) },
  ];
}
