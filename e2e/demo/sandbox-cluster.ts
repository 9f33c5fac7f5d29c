import type { ClusterDetail, ClusterSummary, SaveResult } from '../../server/contracts/cluster-api';
import type { ClusterSpecDraft, Role } from '../../server/contracts/cluster-spec';
import { DEFAULT_KUBERNETES_VERSION, MIRROR_ONLY_VERSIONS } from '../../server/contracts/versions';
import { loginCookie, trpcMutation, trpcQuery, type TrpcAnswer } from '../support/http-session';
import type { Sandbox } from './sandbox';

export const SANDBOX_CLUSTER = 'sandbox';
export const SANDBOX_ROLES: Role[][] = [['control-plane', 'etcd'], ['etcd', 'worker'], ['etcd', 'worker']];
/** Minimums every sandbox host meets (a host sees this machine's CPUs, memory and disk). */
export const SANDBOX_PREFLIGHT = { minCpuControlPlane: 1, minMemControlPlaneMb: 1024, minCpuWorker: 1, minMemWorkerMb: 512, minDiskGb: 2 };

export type SandboxCluster = { id: number; action: 'created' | 'updated'; pinned: string[] };

export function sandboxSpec(sandbox: Sandbox, mirrorUrl: string): ClusterSpecDraft {
  return {
    name: SANDBOX_CLUSTER,
    kubernetes: { version: DEFAULT_KUBERNETES_VERSION },
    etcd: { version: MIRROR_ONLY_VERSIONS.etcd[0] },
    containerd: { version: MIRROR_ONLY_VERSIONS.containerd[0] },
    artifacts: { mirror: mirrorUrl },
    preflight: SANDBOX_PREFLIGHT,
    hosts: sandbox.hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      user: 'root',
      auth: { type: 'key', privateKey: sandbox.rootKey },
      hostKeyFingerprint: h.hostKeyFingerprint,
      roles: SANDBOX_ROLES[i] ?? ['worker'],
    })),
  };
}

function must<T>(what: string, res: TrpcAnswer<T>): T {
  if (res.status !== 200 || res.data === undefined) throw new Error(`${what} failed (${res.status}): ${res.error?.message ?? 'no data'}`);
  return res.data;
}

/** Creates the "sandbox" cluster through the API, or updates it (mirror URL, hosts) and re-pins keys the hosts changed. */
export async function ensureSandboxCluster(baseUrl: string, password: string, sandbox: Sandbox, mirrorUrl: string): Promise<SandboxCluster> {
  const cookie = await loginCookie(baseUrl, password);
  const spec = sandboxSpec(sandbox, mirrorUrl);
  const list = must('clusters.list', await trpcQuery<ClusterSummary[]>(baseUrl, 'clusters.list', { cookie }));
  const found = list.find((c) => c.name === SANDBOX_CLUSTER);
  if (!found) {
    const made = must('clusters.create', await trpcMutation<SaveResult>(baseUrl, 'clusters.create', { spec }, { cookie }));
    return { id: made.id, action: 'created', pinned: sandbox.hosts.map((h) => h.name) };
  }
  must('clusters.update', await trpcMutation<SaveResult>(baseUrl, 'clusters.update', { clusterId: found.id, expectedVersion: found.version, spec }, { cookie }));
  const detail = must('clusters.get', await trpcQuery<ClusterDetail>(baseUrl, 'clusters.get', { cookie, input: { clusterId: found.id } }));
  const pinned: string[] = [];
  for (const h of sandbox.hosts) {
    if (detail.hosts.find((x) => x.name === h.name)?.hostKey.fingerprint === h.hostKeyFingerprint) continue;
    must(`hosts.acceptKey ${h.name}`, await trpcMutation(baseUrl, 'hosts.acceptKey', { clusterId: found.id, host: h.name, fingerprint: h.hostKeyFingerprint }, { cookie }));
    pinned.push(h.name);
  }
  return { id: found.id, action: 'updated', pinned };
}
