import { z } from 'zod';
import type { ClusterSpecPublic } from './cluster-spec';
import { HostAuthInput } from './spec-host';
import { address, fingerprint, label, port, posixUser } from './spec-fields';
import type { RunStatus } from './status';

/** Field errors of every cluster mutation use spec paths (hosts.0.name), the wizard's form paths. */
export const ClusterId = z.number({ error: 'must be a cluster id' }).int().positive();
export const Version = z.number({ error: 'must be a version number' }).int().positive();

/** The KubeKey file a spec was imported from: kept (secrets blanked) so that export returns the user's file. */
export const KubeKeySource = z.string().max(1024 * 1024).optional();
export const CreateClusterInput = z.strictObject({ spec: z.unknown(), kubekeySource: KubeKeySource });
/** Secrets in spec: a string sets, omitted keeps the stored value, null clears. A kubekeySource replaces the kept file; omitted keeps it. */
export const UpdateClusterInput = z.strictObject({ clusterId: ClusterId, expectedVersion: Version, spec: z.unknown(), kubekeySource: KubeKeySource });
/** A partial wizard state: only `name` must be valid; secrets follow the same keep/clear rules and are stored encrypted. */
export const SaveDraftInput = z.strictObject({
  clusterId: ClusterId.optional(),
  expectedVersion: Version.optional(),
  draft: z.record(z.string(), z.unknown()),
});
export const ClusterRef = z.strictObject({ clusterId: ClusterId });
/** The cluster's name typed by the user; resetFirst: run resetCluster and delete only when it succeeded. */
export const DeleteClusterInput = z.strictObject({ clusterId: ClusterId, confirmName: z.string().max(253), resetFirst: z.boolean().default(false) });
export type DeleteClusterInput = z.input<typeof DeleteClusterInput>;
/** deleted now, or a reset run started that deletes the cluster when it succeeds */
export type DeleteClusterResult = { deleted: true; id: number; name: string } | { deleted: false; runId: number };
export const ImportKubeKeyInput = z.strictObject({ text: z.string().max(1024 * 1024) });

export const HostRef = z.strictObject({ clusterId: ClusterId, host: label });
export const AcceptKeyInput = z.strictObject({ clusterId: ClusterId, host: label, fingerprint });

/** A host as typed in the wizard; secrets left out come from the stored cluster (clusterId + name), none is ever stored here. */
export const ProbeFormHost = z.strictObject({
  name: label.optional(),
  address,
  port: port.default(22),
  user: posixUser.default('root'),
  auth: HostAuthInput,
  /** the host inherits the cluster's default credentials: secrets left out come from the stored hostDefaults */
  usesDefaults: z.boolean().optional(),
  hostKeyFingerprint: fingerprint.optional(),
});
export const ProbeInput = z.union([HostRef, z.strictObject({ clusterId: ClusterId.optional(), form: ProbeFormHost })]);
export type ProbeInput = z.infer<typeof ProbeInput>;
export type ProbeFormHost = z.infer<typeof ProbeFormHost>;

/** As the SSH connector reads them (/etc/os-release, nproc, /proc/meminfo, uname). */
export type HostFacts = { os: { id: string; versionId: string; prettyName: string }; cpus: number; memoryKb: number; hostname: string; kernel: string; arch: string };
export type ProbeErrorKind = 'unreachable' | 'auth' | 'hostkey' | 'timeout';

/**
 * matches: null when nothing is pinned. A changed key gives matches false, facts null and no login attempt.
 * facts is null too when the key is not pinned yet and the host uses password auth: the password is only sent to an accepted key.
 */
export type ProbeOk = { ok: true; host: string; fingerprint: string; pinned: string | null; matches: boolean | null; facts: HostFacts | null; message: string | null };
export type ProbeFailed = { ok: false; host: string; kind: ProbeErrorKind; message: string; fingerprint: string | null; pinned: string | null };
export type ProbeResult = ProbeOk | ProbeFailed;

export type HostKeyState = { fingerprint: string | null; acceptedAt: number | null };
export type HostState = { name: string; address: string; port: number; username: string; hostKey: HostKeyState; facts: HostFacts | null; factsAt: number | null };

export type ClusterMeta = { id: number; name: string; version: number; createdAt: number; updatedAt: number };
export type SecretSlotState = { path: string; field: string; required: boolean; set: boolean };
/** A saved cluster's spec carries pinned keys in hosts[].hostKeyFingerprint; a draft's spec is the stored partial form. */
export type ClusterDetail = ClusterMeta &
  ({ draft: false; spec: ClusterSpecPublic } | { draft: true; spec: Record<string, unknown> }) & { hosts: HostState[]; secrets: SecretSlotState[] };

export type LastRun = { id: number; status: RunStatus; pipeline: string; createdAt: number; endedAt: number | null };
export type ClusterSummary = ClusterMeta & { draft: boolean; hostCount: number; lastRun: LastRun | null };

export type SaveResult = { id: number; name: string; version: number; warnings: Array<{ path: string; message: string }> };
export type HostKeyChange = { clusterId: number; host: string; fingerprint: string | null; version: number };
