import type { Parsed } from '../args';
import type { Backend } from '../backend';
import type { Ctx } from '../context';
import { CliError, EXIT, badInput, type ExitCode } from '../errors';
import { openBackend, type Need } from '../open-backend';
import { renderClusterStatus } from '../../catalog/status/render';
import { KubeconfigInput } from '../../contracts/kubeconfig-api';

/** The cluster named (or #id) on the command line, or bad input listing the clusters there are. */
export async function findCluster(backend: Backend, ref: string): Promise<{ id: number; name: string }> {
  const clusters = await backend.listClusters();
  const byId = /^#?\d+$/.test(ref) ? clusters.find((c) => c.id === Number(ref.replace('#', ''))) : undefined;
  const cluster = clusters.find((c) => c.name === ref) ?? byId;
  if (!cluster) throw badInput(`no cluster named "${ref}"`, clusters.length ? [`clusters: ${clusters.map((c) => c.name).join(', ')}`] : []);
  return cluster;
}

export async function withCluster<T>(p: Parsed, ctx: Ctx, need: Need, fn: (backend: Backend, cluster: { id: number; name: string }) => Promise<T>): Promise<T> {
  const backend = await openBackend({ dataDir: ctx.dataDir, need, log: ctx.note });
  try {
    return await fn(backend, await findCluster(backend, p.positionals[0] ?? ''));
  } finally {
    await backend.close();
  }
}

/** Starts a status run (recorded like any run), waits for it, prints the stored result. */
async function clusterStatus(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  return withCluster(p, ctx, 'run', async (backend, cluster) => {
    const { runId } = await backend.startRun({ clusterId: cluster.id, pipeline: 'status' });
    await backend.watch(runId, { snapshot: () => undefined, events: () => undefined });
    const status = await backend.clusterStatus(cluster.id);
    if (!status || status.runId !== runId) throw new CliError(`status run #${runId} left no status; see: kubexms runs show ${runId}`);
    ctx.out.write(ctx.output === 'json' ? `${JSON.stringify({ cluster: cluster.name, ...status })}\n` : renderClusterStatus(cluster.name, status));
    return status.verdict === 'installed' ? EXIT.ok : EXIT.failed;
  });
}

/** The kubeconfig on stdout (redirect it to a file); with -o json, one object with the server it names. */
async function kubeconfig(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  return withCluster(p, ctx, 'none', async (backend, cluster) => {
    const server = p.values.server as string | undefined;
    const input = KubeconfigInput.safeParse({ clusterId: cluster.id, ...(server !== undefined ? { server } : {}) });
    if (!input.success) throw badInput(`--server: ${input.error.issues[0]?.message ?? 'invalid'}`);
    const res = await backend.kubeconfig(input.data);
    ctx.out.write(ctx.output === 'json' ? `${JSON.stringify(res)}\n` : res.text);
    return EXIT.ok;
  });
}

export const CLUSTER_COMMANDS = { 'cluster status': clusterStatus, kubeconfig } as const;
