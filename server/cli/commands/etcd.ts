import type { Parsed } from '../args';
import type { Backend } from '../backend';
import type { Ctx } from '../context';
import { EXIT, UsageError, badInput, type ExitCode } from '../errors';
import { followRun } from '../follow';
import { table, when } from '../grid';
import { openBackend, type Need } from '../open-backend';

async function withCluster<T>(p: Parsed, ctx: Ctx, need: Need, fn: (b: Backend, clusterId: number) => Promise<T>): Promise<T> {
  const name = p.positionals[0] ?? '';
  const backend = await openBackend({ dataDir: ctx.dataDir, need, log: ctx.note });
  try {
    const clusters = await backend.listClusters();
    const cluster = clusters.find((c) => c.name === name);
    if (!cluster) throw badInput(`no cluster named "${name}"`, clusters.length ? [`clusters: ${clusters.map((c) => c.name).join(', ')}`] : []);
    return await fn(backend, cluster.id);
  } finally {
    await backend.close();
  }
}

const startAndFollow = (pipeline: string, extra: { backupId?: number; confirmName?: string } = {}) => (p: Parsed, ctx: Ctx) =>
  withCluster(p, ctx, 'run', async (b, clusterId) => followRun(b, (await b.startRun({ clusterId, pipeline, ...extra })).runId, ctx));

function backupIdArg(p: Parsed, usage: string): number {
  const raw = String(p.values.backup ?? '');
  const id = Number(raw.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`--backup: not a backup id: ${JSON.stringify(raw)}`, usage);
  return id;
}

const bytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

function listing<T>(fetch: (b: Backend, clusterId: number) => Promise<T[]>, header: string[], row: (x: T) => string[], empty: string) {
  return (p: Parsed, ctx: Ctx): Promise<ExitCode> =>
    withCluster(p, ctx, 'none', async (b, clusterId) => {
      const list = await fetch(b, clusterId);
      if (ctx.output === 'json') for (const x of list) ctx.out.write(`${JSON.stringify(x)}\n`);
      else ctx.out.write(`${table(header, list.map(row))}\n${list.length === 0 ? `${empty}\n` : ''}`);
      return EXIT.ok;
    });
}

const etcdBackups = listing(
  (b, id) => b.etcdBackups(id),
  ['BACKUP', 'CREATED (UTC)', 'REVISION', 'KEYS', 'SIZE', 'FROM', 'SHA256', 'RUN'],
  (x) => [`#${x.id}`, when(x.createdAt), String(x.revision), String(x.totalKeys), bytes(x.sizeBytes), x.member, x.sha256.slice(0, 16), x.runId ? `#${x.runId}` : '-'],
  '(no backups)',
);

const certsList = listing(
  (b, id) => b.etcdCertificates(id),
  ['CERTIFICATE', 'KIND', 'EXPIRES (UTC)', 'DAYS LEFT', 'SUBJECT'],
  (c) => [c.name, c.kind, when(c.notAfter), String(c.daysLeft), c.subject],
  '(no etcd certificates issued yet)',
);

export const ETCD_COMMANDS = {
  'etcd backup': startAndFollow('etcdBackup'),
  'etcd backups': etcdBackups,
  // the command line names the cluster: that is the confirmation the browser asks to type
  'etcd restore': (p: Parsed, ctx: Ctx) => startAndFollow('etcdRestore', { backupId: backupIdArg(p, ctx.usage), confirmName: p.positionals[0] ?? '' })(p, ctx),
  'etcd roll': startAndFollow('etcdRollingUpdate'),
  'certs list': certsList,
  'certs renew': startAndFollow('renewEtcdCerts'),
} as const;
