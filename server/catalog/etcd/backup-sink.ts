import { cacheKey } from '../../engine';
import type { RuntimeLike } from '../common/catalog-context';
import type { MemberInfo } from './cluster-read';

export type EtcdBackupRecord = {
  id: number;
  clusterId: number;
  runId: number | null;
  /** absolute path on the control node */
  path: string;
  sha256: string;
  sizeBytes: number;
  revision: number;
  totalKeys: number;
  member: string;
  members: MemberInfo[];
  createdAt: number;
};

export type NewEtcdBackup = Omit<EtcdBackupRecord, 'id' | 'path' | 'createdAt' | 'clusterId'> & { data: Buffer };

/** Where the etcd day-2 steps keep backups on the control node (the data dir and SQLite): set by the runner's hooks. */
export type EtcdBackupSink = {
  /** writes the snapshot into the data dir and its row; returns the row */
  record(clusterId: number, backup: NewEtcdBackup): EtcdBackupRecord;
  get(id: number): EtcdBackupRecord | undefined;
  byRun(runId: number): EtcdBackupRecord | undefined;
  /** applies the cluster's retention (keep last N, max age); never removes `keep`; returns the ids removed */
  prune(clusterId: number, keep: number): number[];
};

const KEY = cacheKey<EtcdBackupSink>('kubexms:etcdBackups');

export function setBackupSink(runtime: RuntimeLike, sink: EtcdBackupSink): void {
  runtime.cache.set(KEY, sink);
}

export function backupSink(runtime: RuntimeLike): EtcdBackupSink {
  const sink = runtime.cache.get(KEY);
  if (!sink) throw new Error('runtime.cache has no etcd backup store: etcd backups run only through the kubexms runner');
  return sink;
}
