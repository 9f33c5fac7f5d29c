import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import type { ClusterSpec, KxContext, KxStep } from '../common/types';
import { clientUrl, etcdctlArgs } from '../etcd/render';
import { etcdMembers } from '../pki/etcd-pki';
import { K8S_PATHS } from '../kubernetes/render';
import { KUBECTL } from '../kubernetes/steps';
import { QUORUM_RULE, quorumOf } from './quorum';

const k8sNodes = (spec: ClusterSpec, removed: ReadonlySet<string>) =>
  spec.hosts.filter((h) => removed.has(h.name) && h.roles.some((r) => r === 'control-plane' || r === 'worker')).map((h) => h.name);

async function nodesInKubernetes(ctx: KxContext): Promise<Set<string> | null> {
  const res = await ctx.exec(sh`[ -x ${KUBECTL[0]!} ] && [ -r ${K8S_PATHS.adminConf} ] || exit 3; ${KUBECTL} get nodes -o name`, { sudo: true, quiet: true });
  if (res.exitCode === 3) return null;
  if (res.exitCode !== 0) throw new StepError('command', `kubectl get nodes failed: ${res.stderr.trim().split('\n').pop() ?? `exit code ${res.exitCode}`}`, { exitCode: res.exitCode, stderrTail: res.stderr });
  return new Set(res.stdout.split('\n').map((l) => l.trim().replace(/^node\//, '')).filter(Boolean));
}

/** On a control plane that stays: cordon and drain each removed node, then delete its Node object. */
export function drainNodes(removed: ReadonlySet<string>): KxStep {
  return {
    name: 'Drain and delete the nodes',
    check: async (ctx) => {
      const present = await nodesInKubernetes(ctx);
      if (present === null) ctx.log('Kubernetes is not installed on this control plane (no kubectl or admin.conf): no node to drain');
      return present === null || !k8sNodes(ctx.runtime.spec, removed).some((n) => present.has(n));
    },
    run: async (ctx) => {
      const present = (await nodesInKubernetes(ctx)) ?? new Set<string>();
      for (const node of k8sNodes(ctx.runtime.spec, removed).filter((n) => present.has(n))) {
        await ctx.sudo(sh`${KUBECTL} drain ${node} --ignore-daemonsets --delete-emptydir-data --force --timeout=300s`, { timeoutMs: 330_000 });
        await ctx.sudo(sh`${KUBECTL} delete node ${node} --ignore-not-found`);
      }
    },
  };
}

const remainingEndpoints = (spec: ClusterSpec, removed: ReadonlySet<string>) => etcdMembers(spec).filter((m) => !removed.has(m.name)).map(clientUrl);

// member ids are uint64: read them from the JSON as text (JSON.parse would round them)
async function memberIds(ctx: KxContext, endpoints: string[]): Promise<Map<string, string>> {
  const res = await ctx.run(sh`${etcdctlArgs(endpoints)} member list -w json`, { sudo: true, quiet: true, label: 'etcdctl member list' });
  const out = new Map<string, string>();
  for (const m of res.stdout.matchAll(/\{"ID":(\d+),"name":"([^"]*)"/g)) out.set(m[2]!, BigInt(m[1]!).toString(16));
  return out;
}

// etcd refuses ("unhealthy cluster") until the members left have been connected for its health interval (5 s), e.g. just after a restart
async function memberRemove(ctx: KxContext, endpoints: string[], id: string, name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await ctx.exec(sh`${etcdctlArgs(endpoints)} member remove ${id}`, { sudo: true, label: `etcdctl member remove ${id} (${name})` });
    if (res.exitCode === 0) return;
    const why = res.stderr.trim().split('\n').pop() ?? `exit code ${res.exitCode}`;
    if (!/unhealthy cluster/.test(res.stderr) || Date.now() > deadline) throw new StepError('command', `etcdctl member remove ${id} (${name}) failed: ${why}`, { exitCode: res.exitCode, stderrTail: res.stderr });
    ctx.log(`etcd is not ready to remove ${name} yet (${why}); trying again`);
    await new Promise((r) => setTimeout(r, 1000));
    ctx.signal.throwIfAborted();
  }
}

/** On an etcd member that stays: `member remove` for each removed member, refused when the members left could not keep quorum. */
export function removeEtcdMembers(removed: ReadonlySet<string>): KxStep {
  const leaving = (spec: ClusterSpec) => etcdMembers(spec).filter((m) => removed.has(m.name)).map((m) => m.name);
  return {
    name: 'Remove the etcd members',
    check: async (ctx) => {
      const ids = await memberIds(ctx, remainingEndpoints(ctx.runtime.spec, removed));
      return !leaving(ctx.runtime.spec).some((n) => ids.has(n));
    },
    run: async (ctx) => {
      const endpoints = remainingEndpoints(ctx.runtime.spec, removed);
      for (const name of leaving(ctx.runtime.spec)) {
        const ids = await memberIds(ctx, endpoints);
        const id = ids.get(name);
        if (!id) continue;
        const health = await ctx.exec(sh`${etcdctlArgs(endpoints)} endpoint health`, { sudo: true, quiet: true });
        const healthy = (`${health.stdout}\n${health.stderr}`.match(/ is healthy/g) ?? []).length;
        const need = quorumOf(ids.size - 1);
        if (healthy < need) {
          throw new StepError('command', `${QUORUM_RULE}: removing ${name} leaves ${ids.size - 1} member(s), which need ${need} healthy, but only ${healthy} of ${endpoints.join(', ')} answer healthy; nothing was removed`);
        }
        await memberRemove(ctx, endpoints, id, name);
        ctx.log(`removed etcd member ${name} (${id}); ${ids.size - 1} member(s) left`);
      }
    },
  };
}
