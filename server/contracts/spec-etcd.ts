import { z } from 'zod';
import { line } from './spec-fields';

export const ETCD_METRICS = ['basic', 'extensive'] as const;
export const ETCD_LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'panic', 'fatal'] as const;
export const DEFAULT_ETCD_DATA_DIR = '/var/lib/etcd';
// etcd's own defaults, for the checks that relate two of them
export const ETCD_DEFAULTS = { heartbeatInterval: 100, electionTimeout: 1000 } as const;

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

/** An absolute path a systemd unit line and a shell word can carry as is. */
export const absPath = line(255)
  .regex(/^\/[A-Za-z0-9._/-]*$/, { error: 'must be an absolute path of letters, digits, ".", "_", "-" and "/"' })
  .refine((p) => !p.split('/').includes('..') && p.replace(/\/+$/, '') !== '', { error: 'must not be "/" or contain ".."' })
  .transform((p) => p.replace(/\/+$/, ''));

// reset removes the data directory: never a system directory or one that holds others
const SYSTEM_DIRS = /^\/(proc|sys|dev|boot|bin|sbin|lib|lib64|etc|run)(\/|$)|^\/(var|usr|home|opt|srv|root|tmp|mnt|media)(\/(lib|log|run|tmp|local|bin|sbin|share|cache|spool))?$/;
export const dataDirPath = absPath.refine((p) => !SYSTEM_DIRS.test(p), { error: 'must be a directory of its own, not a system directory (reset deletes it)' });

/** KubeKey's etcd tuning fields, each an etcd flag of the same meaning (sizes in bytes, times in ms, retention in hours). */
export const etcdTuning = {
  dataDir: dataDirPath.optional(),
  heartbeatInterval: int(10, 10_000).optional(),
  electionTimeout: int(50, 50_000).optional(),
  snapshotCount: int(1, 100_000_000).optional(),
  autoCompactionRetention: int(0, 87_600).optional(),
  metrics: z.enum(ETCD_METRICS, { error: `must be one of: ${ETCD_METRICS.join(', ')}` }).optional(),
  quotaBackendBytes: int(0, 64 * 1024 ** 3).optional(),
  maxRequestBytes: int(1, 64 * 1024 ** 2).optional(),
  maxSnapshots: int(0, 10_000).optional(),
  maxWals: int(0, 10_000).optional(),
  logLevel: z.enum(ETCD_LOG_LEVELS, { error: `must be one of: ${ETCD_LOG_LEVELS.join(', ')}` }).optional(),
};

type Tuning = { heartbeatInterval?: number | undefined; electionTimeout?: number | undefined };
type Ctx = { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void };

/** etcd refuses to start when the election timeout is below 5 heartbeats (embed.Config.Validate). */
export function checkEtcdTuning(t: Tuning, ctx: Ctx): void {
  const beat = t.heartbeatInterval ?? ETCD_DEFAULTS.heartbeatInterval;
  const election = t.electionTimeout ?? ETCD_DEFAULTS.electionTimeout;
  if (election < 5 * beat) {
    ctx.addIssue({ code: 'custom', path: [t.electionTimeout === undefined ? 'heartbeatInterval' : 'electionTimeout'], message: `the election timeout (${election} ms) must be at least 5 heartbeat intervals (${5 * beat} ms)` });
  }
}
