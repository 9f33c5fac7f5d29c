import type { PipelineName } from '../contracts/pipelines';
import { modulesInRun, PHASED_PIPELINES, type InstallModule } from '../contracts/run-phases';
import type { RunOptions } from '../contracts/run-types';
import { containerdModule, containerdResetTasks } from './containerd/tasks';
import { etcdBackup } from './etcd/backup';
import { etcdRestore } from './etcd/restore';
import { etcdRollingUpdate, renewEtcdCertificates } from './etcd/rolling';
import { etcdModule, etcdResetTasks } from './etcd/tasks';
import { isAllowedOnExistingNodes } from './common/add-nodes';
import type { ClusterSpec, KxHost, KxModule, KxPipeline, KxTask } from './common/types';
import { kernelModule, kernelResetTasks } from './kernel/tasks';
import { kubernetesModule, kubernetesResetTasks } from './kubernetes/tasks';
import { preflightModule, preflightResetTasks } from './preflight/tasks';
import { postInstallTasks } from './system/tasks';
import { removeNodesModules } from './remove-nodes/tasks';
import { statusTasks } from './status/steps';
import { certRenewTasks } from './kubernetes/cert-renew';

export { runtimeHostsFromSpec } from './common/hosts';
export { collectPreflightReport, renderReportTable } from './preflight/report';
export type { PreflightRow } from './preflight/report';

/** refused, not queued, while another run holds or waits for any of their hosts */
export const EXCLUSIVE_PIPELINES: ReadonlySet<string> = new Set<PipelineName>(['etcdRestore']);

/** nodes: addNodes' new hosts; until: createCluster/addNodes stop after this module; backupId: etcdRestore's backup; onlyHosts is applied by the runner (runner/restrict.ts) to every pipeline. */
type PipelineOptions = RunOptions;

function knownNames(spec: ClusterSpec, names: readonly string[], what: string): Set<string> {
  const unknown = names.filter((n) => !spec.hosts.some((h) => h.name === n));
  if (unknown.length) throw new RangeError(`${what}: not in the cluster spec: ${unknown.join(', ')}`);
  return new Set(names);
}

function narrow(modules: readonly KxModule[], keep: (task: KxTask, host: KxHost) => boolean): KxModule[] {
  return modules.map((m) => ({
    ...m,
    tasks: m.tasks.map((t): KxTask => ({ ...t, filter: (h) => (t.filter ? t.filter(h) : true) && keep(t, h) })),
  }));
}

function refuseUntil(name: PipelineName, options: PipelineOptions): void {
  if (options.until && !(PHASED_PIPELINES as readonly string[]).includes(name)) {
    throw new RangeError(`until: ${name} has no phases; only ${PHASED_PIPELINES.join(' and ')} stop after a module`);
  }
}

function finish(name: PipelineName, modules: readonly KxModule[], options: PipelineOptions): KxPipeline {
  refuseUntil(name, options);
  return { name, modules };
}

const withPostInstall = (spec: ClusterSpec, m: KxModule): KxModule => ({ ...m, tasks: [...m.tasks, ...certRenewTasks(spec), ...postInstallTasks(spec)] });

/** The install modules up to `until` (the later ones are not even built: their checks do not apply to this run). */
function installModules(spec: ClusterSpec, until: InstallModule | undefined, joining?: readonly string[]): KxModule[] {
  const build: Record<InstallModule, () => KxModule> = {
    preflight: () => preflightModule(spec),
    kernel: () => kernelModule(spec),
    containerd: () => containerdModule(spec),
    etcd: () => etcdModule(spec, { joining }),
    kubernetes: () => withPostInstall(spec, kubernetesModule(spec)),
  };
  return modulesInRun(until).map((m) => build[m]());
}

export function createCluster(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  return finish('createCluster', installModules(spec, options.until), options);
}

/** Read-only: swap and firewall are reported, never changed. */
export function preflightOnly(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  return finish('preflightOnly', [preflightModule(spec, { fix: false })], options);
}

/** Undoes createCluster in reverse order; removes only what kubexms installed. */
export function resetCluster(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  const modules: KxModule[] = [
    { name: 'Reset Kubernetes', tasks: kubernetesResetTasks(spec) },
    { name: 'Reset etcd', tasks: etcdResetTasks(spec) },
    { name: 'Reset containerd', tasks: containerdResetTasks(spec) },
    { name: 'Reset kernel settings', tasks: kernelResetTasks(spec) },
    { name: 'Restore swap', tasks: preflightResetTasks(spec) },
  ];
  return finish('resetCluster', modules, options);
}

/**
 * Installs the new nodes only: every task is narrowed to them, except tasks marked allowOnExistingNodes (read-only
 * work on existing hosts that joining needs: gathering facts for the hostname comparison, creating a join token).
 */
export function addNodes(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  const nodes = options.nodes ?? [];
  if (nodes.length === 0) throw new RangeError('addNodes: name at least one node to add');
  const added = knownNames(spec, nodes, 'addNodes');
  const modules = narrow(installModules(spec, options.until, nodes), (t, h) => added.has(h.name) || isAllowedOnExistingNodes(t));
  return finish('addNodes', modules, options);
}

/** Read-only: versions, services, etcd health, certificate expiry and disk space of every host, one command per host. */
export function status(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  return finish('status', [{ name: 'Status', tasks: statusTasks(spec) }], options);
}

/**
 * Takes the named nodes out of the cluster and cleans them like resetCluster; refused when the etcd members left would
 * not be a majority of the current ones. Dropping them from the spec follows once the run succeeded (run hooks).
 */
export function removeNodes(spec: ClusterSpec, options: PipelineOptions = {}): KxPipeline {
  const nodes = options.nodes ?? [];
  if (nodes.length === 0) throw new RangeError('removeNodes: name at least one node to remove');
  const removed = knownNames(spec, nodes, 'removeNodes');
  const modules = narrow(removeNodesModules(spec, removed), (t, h) => removed.has(h.name) || isAllowedOnExistingNodes(t));
  return finish('removeNodes', modules, options);
}

export const PIPELINES: Record<PipelineName, (spec: ClusterSpec, options: PipelineOptions) => KxPipeline> = {
  createCluster,
  preflightOnly,
  resetCluster,
  addNodes,
  etcdBackup: (spec, options) => finish('etcdBackup', etcdBackup(spec).modules, options),
  etcdRestore: (spec, options) => finish('etcdRestore', etcdRestore(spec, { backupId: options.backupId }).modules, options),
  renewEtcdCerts: (spec, options) => finish('renewEtcdCerts', renewEtcdCertificates(spec).modules, options),
  etcdRollingUpdate: (spec, options) => finish('etcdRollingUpdate', etcdRollingUpdate(spec).modules, options),
  status,
  removeNodes,
};
