import { createServer, type Server, type Socket } from 'node:net';
import { expect, type Page } from '@playwright/test';
import type { ClusterSpecDraft } from '../../server/contracts/cluster-spec';
import type { LabHost } from '../hosts/fixture';
import { createClusterApi, labSpec, trpc, uniqueName, waitRunEnded } from './dashboard';

const lenient = { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 };

/** A cluster on lab hosts with a failed preflight (CPU minimum of 64), a passing one after the fix, and a status read. */
export type RealState = { name: string; clusterId: number; failedRun: number; passedRun: number; statusRun: number };

export async function buildRealState(page: Page, hosts: readonly LabHost[], prefix = 'sweep'): Promise<RealState> {
  const name = uniqueName(prefix);
  const spec = (minCpuControlPlane: number) => labSpec(name, hosts, { preflight: { ...lenient, minCpuControlPlane } });
  const clusterId = await createClusterApi(page, spec(64));
  const failedRun = await startRun(page, clusterId, 'preflightOnly');
  expect(await waitRunEnded(page, failedRun)).toBe('failed');
  const { version } = await trpc<{ version: number }>(page, 'clusters.get', { clusterId });
  await trpc(page, 'clusters.update', { clusterId, expectedVersion: version, spec: spec(1) }, 'mutation');
  const passedRun = await startRun(page, clusterId, 'preflightOnly');
  expect(await waitRunEnded(page, passedRun)).toBe('succeeded');
  const statusRun = await startRun(page, clusterId, 'status');
  expect(await waitRunEnded(page, statusRun)).toBe('succeeded');
  return { name, clusterId, failedRun, passedRun, statusRun };
}

export async function startRun(page: Page, clusterId: number, pipeline: string): Promise<number> {
  return (await trpc<{ runId: number }>(page, 'runs.start', { clusterId, pipeline }, 'mutation')).runId;
}

/**
 * A TCP port on 127.0.0.1 that accepts connections and never says a word: an SSH host there keeps its run live
 * (the handshake waits for the banner) until the run is cancelled. Port: KUBEXMS_SILENT_SSH_PORT, else a free one.
 */
export async function silentSshHost(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => {}); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(Number(process.env.KUBEXMS_SILENT_SSH_PORT ?? 0), '127.0.0.1', resolve); });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the silent host has no port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** The lab hosts plus a host on the silent port: preflight finishes on the lab hosts and stays live on the silent one. */
export function liveSpec(name: string, hosts: readonly LabHost[], silentPort: number): ClusterSpecDraft {
  const spec = labSpec(name, hosts, { preflight: { ...lenient, minCpuControlPlane: 1 } });
  const first = spec.hosts[0]!;
  return {
    ...spec,
    hosts: [...spec.hosts, { ...first, name: 'silent', address: '127.0.0.1', port: silentPort, roles: ['worker'], hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` }],
  };
}

/** Starts preflight on a cluster with a silent host and waits until the lab hosts' cells are done while the run is still live. */
export async function startLiveRun(page: Page, clusterId: number, labHostNames: readonly string[]): Promise<number> {
  const runId = await startRun(page, clusterId, 'preflightOnly');
  await expect.poll(async () => {
    const { run, cells } = await trpc<{ run: { status: string }; cells: Array<{ host: string; status: string }> }>(page, 'runs.get', { runId });
    const labDone = cells.filter((c) => labHostNames.includes(c.host)).some((c) => c.status === 'succeeded');
    return run.status === 'running' && labDone;
  }, { timeout: 60_000, intervals: [300, 500, 1000] }).toBe(true);
  return runId;
}

export async function createLiveCluster(page: Page, hosts: readonly LabHost[], silentPort: number, prefix = 'live'): Promise<number> {
  return createClusterApi(page, liveSpec(uniqueName(prefix), hosts, silentPort));
}
