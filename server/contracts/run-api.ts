import { z } from 'zod';
import { RUN_STATUSES } from './status';
import { InstallModule } from './run-phases';
import type { RunInfo, RunLogLine, RunSnapshot } from './run-types';
import type { ClusterSpecPublic } from './cluster-spec';

const id = z.number().int().positive();
const hostNames = z.array(z.string().min(1).max(63)).min(1).max(1000);

export const StartRunInput = z.strictObject({
  clusterId: id,
  pipeline: z.string().min(1).max(64),
  /** run only on these hosts (every task keeps its own roles/filter too) */
  onlyHosts: hostNames.optional(),
  /** the new nodes for addNodes */
  nodes: hostNames.optional(),
  /** createCluster/addNodes: stop after this module */
  until: InstallModule.optional(),
  /** the backup etcdRestore restores */
  backupId: id.optional(),
  /** removeNodes, etcdRestore: the cluster's name, typed by the user (checked by the server) */
  confirmName: z.string().max(253).optional(),
});
export type StartRunInput = z.infer<typeof StartRunInput>;

export const RunRef = z.strictObject({ runId: id });
export type RunRef = z.infer<typeof RunRef>;

/** Retry / rerun failed hosts: repeating a confirmed pipeline asks for the cluster's name again */
export const RepeatRunInput = z.strictObject({ runId: id, confirmName: z.string().max(253).optional() });
export type RepeatRunInput = z.infer<typeof RepeatRunInput>;

export const ListRunsInput = z
  .strictObject({
    clusterId: id.optional(),
    /** runs of a deleted cluster, by the name they kept */
    deletedCluster: z.string().min(1).max(253).optional(),
    status: z.union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES)).min(1)]).optional(),
    pipeline: z.string().min(1).max(64).optional(),
    /** createdAt bounds, ms since epoch: from inclusive, to exclusive */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    /** the nextCursor of the previous page (runs with a smaller id) */
    cursor: id.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .prefault({});
export type ListRunsInput = z.infer<typeof ListRunsInput>;
export type ListRunsResult = { items: RunInfo[]; nextCursor: number | null };

export type GetRunResult = RunSnapshot & { spec: ClusterSpecPublic };
export type StartRunResult = { runId: number };
export type CancelRunResult = { runId: number; status: 'cancelled' | 'cancelling' };

export const LogsPageInput = z.strictObject({
  runId: id,
  host: z.string().min(1).max(253).optional(),
  stepId: z.string().min(1).max(64).optional(),
  /** lines with seq > afterSeq; pass the previous page's nextSeq */
  afterSeq: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(500),
});
export type LogsPageInput = z.infer<typeof LogsPageInput>;
/** nextSeq: pass as afterSeq for more; null when the run has ended and nothing more is stored. */
export type LogsPageResult = { lines: RunLogLine[]; nextSeq: number | null; runLastSeq: number };

/** Plain-text download of a run's log (same auth as tRPC): GET /api/runs/:id/logs.txt?host=&step= */
export const logsDownloadPath = (runId: number, filter: { host?: string; stepId?: string } = {}) => {
  const q = new URLSearchParams();
  if (filter.host) q.set('host', filter.host);
  if (filter.stepId) q.set('step', filter.stepId);
  const s = q.toString();
  return `/api/runs/${runId}/logs.txt${s ? `?${s}` : ''}`;
};

export const CompareRunsInput = z.strictObject({ a: id, b: id });
export type CompareRunsInput = z.infer<typeof CompareRunsInput>;
/** A spec field that differs between two runs' (secret-free) snapshots; null = absent on that side. */
export type SpecChange = { path: string; a: string | null; b: string | null };
export type CompareSide = { run: RunInfo; plan: RunSnapshot['plan']; cells: RunSnapshot['cells'] };
export type CompareRunsResult = { a: CompareSide; b: CompareSide; specChanges: SpecChange[] };

/** Median wall time (first start → last end over hosts) per step id over the same pipeline's last ended runs on this cluster. */
export type RunEstimate = { runs: number; stepMs: Record<string, number> };

export type PreflightCheckStatus = 'passed' | 'warning' | 'failed';
export type PreflightReportRow = { host: string; check: string; status: PreflightCheckStatus; measured: string; expected: string };
