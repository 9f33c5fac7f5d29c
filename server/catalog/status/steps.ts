import type { ClusterStatus, HostStatus } from '../../contracts/cluster-status';
import { cacheKey, type ClusterRuntime, type RunCache } from '../../engine';
import { specHostOf } from '../common/hosts';
import type { ClusterSpec, KxStep, KxTask } from '../common/types';
import { parseStatus, statusScript } from './probe';
import { judge } from './verdict';

const STATUS_KEY = cacheKey<Map<string, HostStatus>>('status:hosts');

const store = (cache: RunCache): Map<string, HostStatus> => cache.ensure(STATUS_KEY, () => new Map());

const describeHost = (h: HostStatus) =>
  [
    `${h.name}: ${h.os ?? 'unknown OS'}, kernel ${h.kernel ?? '?'}`,
    ...h.components.map((c) => `  ${c.name}: ${c.installed ?? 'not installed'} (spec ${c.spec})${c.unit ? `, ${c.unit} ${c.service}` : ''}`),
    ...(h.etcd ? [`  etcd member ${h.etcd.memberId ?? '?'}: ${h.etcd.healthy ? 'healthy' : `unhealthy: ${h.etcd.error}`}${h.etcd.isLeader ? ', leader' : ''}, db ${h.etcd.dbSizeBytes ?? '?'} bytes`] : []),
    ...h.certs.map((c) => `  ${c.path}: expires ${c.notAfter} (${c.daysLeft} days)`),
    ...h.disks.map((d) => `  ${d.path}: ${Math.round(d.freeBytes / 1048576)} MiB free of ${Math.round(d.sizeBytes / 1048576)} MiB`),
  ].join('\n');

/** Read-only: one remote command gathers everything, parsed on the control node. */
export const readHostStatus: KxStep = {
  name: 'Read host status',
  check: async () => false,
  run: async (ctx) => {
    const host = specHostOf(ctx);
    const res = await ctx.run(statusScript(ctx.runtime.spec, host), { sudo: true, quiet: true, label: 'read host status' });
    const status = parseStatus(ctx.runtime.spec, host, res.stdout);
    store(ctx.runtime.cache).set(ctx.host.name, status);
    ctx.log(describeHost(status));
  },
};

export function statusTasks(_spec: ClusterSpec): KxTask[] {
  return [{ name: 'Read cluster status', concurrency: 50, steps: [readHostStatus] }];
}

/** The cluster's status after a status run: hosts that were not read count as unreachable. */
export function collectClusterStatus(runtime: Pick<ClusterRuntime<ClusterSpec, unknown>, 'cache' | 'spec'>, runId: number | null = null, now = Date.now()): ClusterStatus {
  const read = runtime.cache.get(STATUS_KEY) ?? new Map<string, HostStatus>();
  const hosts = runtime.spec.hosts.map(
    (h): HostStatus =>
      read.get(h.name) ?? {
        name: h.name, address: h.address, roles: [...h.roles], reachable: false, error: 'did not answer the status read',
        os: null, kernel: null, components: [], etcd: null, certs: [], disks: [],
      },
  );
  return { ...judge(hosts), hosts, takenAt: now, runId };
}
