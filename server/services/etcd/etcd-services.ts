import { readdir } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { AppServices } from '../../app-services';
import { audit } from '../../audit/audit';
import { filePkiStore, pkiDir } from '../../catalog/pki/store';
import { certInfo } from '../../catalog/pki/x509';
import type { EtcdBackupInfo, EtcdCertInfo, EtcdClusterRef, EtcdRestoreInput, EtcdSchedule, EtcdScheduleInput } from '../../contracts/etcd-api';
import { clusters, etcdBackupSchedules } from '../../db/schema';
import { notFound, ServiceError } from '../../errors';
import type { Actor } from '../clusters/deps';
import { DEFAULT_RETENTION, listBackups } from './backup-store';

type ReadDeps = Pick<AppServices, 'db'> & { env: { dataDir: string } };
type Deps = ReadDeps & Pick<AppServices, 'runner'>;
const DAY = 86_400_000;
export const DEFAULT_SCHEDULE = { enabled: false, everyMinutes: 360, ...DEFAULT_RETENTION } as const;

function clusterName(deps: Pick<Deps, 'db'>, clusterId: number): string {
  const row = deps.db.select({ name: clusters.name }).from(clusters).where(eq(clusters.id, clusterId)).get();
  if (!row) throw notFound(`cluster #${clusterId}`);
  return row.name;
}

export function etcdBackupsOf(deps: ReadDeps, { clusterId }: EtcdClusterRef): EtcdBackupInfo[] {
  clusterName(deps, clusterId);
  return listBackups(deps.db, deps.env.dataDir, clusterId).map(({ path: _p, clusterId: _c, members, ...b }) => ({ ...b, members: members.map((m) => m.name) }));
}

async function startEtcdRun(deps: Deps, clusterId: number, pipeline: string, by: Actor, extra: { backupId?: number } = {}) {
  const { runId } = await deps.runner.start({ clusterId, pipeline, ...extra, createdBy: by.actor });
  audit(deps.db, { ...by, action: 'run.started', target: `run #${runId}`, detail: { runId, clusterId, pipeline, ...extra } });
  return { runId };
}

export const startEtcdBackup = (deps: Deps, { clusterId }: EtcdClusterRef, by: Actor) => startEtcdRun(deps, clusterId, 'etcdBackup', by);
export const startCertRenewal = (deps: Deps, { clusterId }: EtcdClusterRef, by: Actor) => startEtcdRun(deps, clusterId, 'renewEtcdCerts', by);
export const startEtcdRoll = (deps: Deps, { clusterId }: EtcdClusterRef, by: Actor) => startEtcdRun(deps, clusterId, 'etcdRollingUpdate', by);

/** Destructive: the caller types the cluster's name; the runner then refuses a foreign or damaged backup and busy hosts. */
export function startEtcdRestore(deps: Deps, input: EtcdRestoreInput, by: Actor) {
  const name = clusterName(deps, input.clusterId);
  if (input.confirmName !== name) {
    const message = `type the cluster's name "${name}" to restore it`;
    throw new ServiceError('BAD_REQUEST', message, [{ path: 'confirmName', message }]);
  }
  return startEtcdRun(deps, input.clusterId, 'etcdRestore', by, { backupId: input.backupId });
}

export function etcdScheduleOf(deps: Pick<Deps, 'db'>, { clusterId }: EtcdClusterRef): EtcdSchedule {
  clusterName(deps, clusterId);
  const row = deps.db.select().from(etcdBackupSchedules).where(eq(etcdBackupSchedules.clusterId, clusterId)).get();
  if (!row) return { ...DEFAULT_SCHEDULE, lastStartedAt: null, stored: false };
  const { clusterId: _c, ...rest } = row;
  return { ...rest, stored: true };
}

export function setEtcdSchedule(deps: Pick<Deps, 'db'>, input: EtcdScheduleInput, by: Actor): EtcdSchedule {
  clusterName(deps, input.clusterId);
  const { clusterId, ...values } = input;
  deps.db.insert(etcdBackupSchedules).values(input).onConflictDoUpdate({ target: etcdBackupSchedules.clusterId, set: values }).run();
  audit(deps.db, { ...by, action: 'etcd.schedule_changed', target: `cluster #${clusterId}`, detail: { clusterId, ...values } });
  return etcdScheduleOf(deps, { clusterId });
}

const kindOf = (name: string): EtcdCertInfo['kind'] => (name === 'ca' ? 'ca' : name.startsWith('server-') ? 'server' : name.startsWith('peer-') ? 'peer' : 'client');

/** Expiry of every etcd certificate kubexms issued for the cluster (certificates only: keys are never read here). */
export async function etcdCertificates(deps: ReadDeps, { clusterId }: EtcdClusterRef, now = Date.now()): Promise<EtcdCertInfo[]> {
  const name = clusterName(deps, clusterId);
  const dir = pkiDir({ dataDir: deps.env.dataDir, clusterId }, name, 'etcd');
  const store = filePkiStore(dir);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.crt'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: EtcdCertInfo[] = [];
  for (const file of files.sort()) {
    const pem = await store.read(file, false);
    if (!pem) continue;
    const info = certInfo(pem);
    const certName = file.slice(0, -'.crt'.length);
    out.push({ name: certName, kind: kindOf(certName), subject: info.subject, notAfter: info.notAfter.getTime(), daysLeft: Math.floor((info.notAfter.getTime() - now) / DAY) });
  }
  const order = { ca: 0, server: 1, peer: 2, client: 3 } as const;
  return out.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
}
