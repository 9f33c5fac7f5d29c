import { z } from 'zod';

const id = z.number().int().positive();

export const EtcdClusterRef = z.strictObject({ clusterId: id });
export type EtcdClusterRef = z.infer<typeof EtcdClusterRef>;

/** The guard of the restore button: the cluster's name typed by hand. */
export const EtcdRestoreInput = z.strictObject({ clusterId: id, backupId: id, confirmName: z.string().max(253) });
export type EtcdRestoreInput = z.infer<typeof EtcdRestoreInput>;

export const EtcdScheduleInput = z.strictObject({
  clusterId: id,
  enabled: z.boolean(),
  everyMinutes: z.number().int().min(15, { error: 'at least every 15 minutes' }).max(7 * 24 * 60, { error: 'at most once a week' }),
  keepLast: z.number().int().min(1, { error: 'keep at least one backup' }).max(1000),
  maxAgeDays: z.number().int().min(1).max(3650),
});
export type EtcdScheduleInput = z.infer<typeof EtcdScheduleInput>;

export type EtcdBackupInfo = {
  id: number;
  runId: number | null;
  sha256: string;
  sizeBytes: number;
  revision: number;
  totalKeys: number;
  member: string;
  members: string[];
  createdAt: number;
};

export type EtcdSchedule = Omit<EtcdScheduleInput, 'clusterId'> & { lastStartedAt: number | null; stored: boolean };

export const CERT_KINDS = ['ca', 'server', 'peer', 'client'] as const;
export type EtcdCertInfo = { name: string; kind: (typeof CERT_KINDS)[number]; subject: string; notAfter: number; daysLeft: number };
