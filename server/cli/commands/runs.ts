import type { RunLogLine } from '../../contracts/run-types';
import { RUN_STATUSES, type RunStatus } from '../../contracts/status';
import { runIdArg, type Parsed } from '../args';
import type { Backend } from '../backend';
import type { Ctx } from '../context';
import { EXIT, UsageError, badInput, type ExitCode } from '../errors';
import { followRun } from '../follow';
import { renderGrid, table, took, when } from '../grid';
import { openBackend, type Need } from '../open-backend';

async function withBackend<T>(ctx: Ctx, need: Need, fn: (b: Backend) => Promise<T>): Promise<T> {
  const backend = await openBackend({ dataDir: ctx.dataDir, need, log: ctx.note });
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

function listFilters(p: Parsed, usage: string) {
  const status = p.values.status as string | undefined;
  if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}`, usage);
  const limit = p.values.limit === undefined ? 20 : Number(p.values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new UsageError('--limit must be an integer from 1 to 200', usage);
  return { status: status as RunStatus | undefined, limit };
}

async function runsList(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const { status, limit } = listFilters(p, ctx.usage);
  return withBackend(ctx, 'none', async (b) => {
    const name = p.values.cluster as string | undefined;
    let clusterId: number | undefined;
    if (name !== undefined) {
      clusterId = (await b.listClusters()).find((c) => c.name === name)?.id;
      if (clusterId === undefined) throw badInput(`no cluster named "${name}"`);
    }
    const page = await b.listRuns({ limit, ...(status ? { status } : {}), ...(clusterId ? { clusterId } : {}) });
    if (ctx.output === 'json') {
      for (const r of page.items) ctx.out.write(`${JSON.stringify(r)}\n`);
      return EXIT.ok;
    }
    const rows = page.items.map((r) => {
      const t = r.summary.total;
      const steps = `${t.succeeded}✓ ${t.skipped}↷ ${t.failed}✗`;
      return [`#${r.id}`, r.status, r.pipeline, r.clusterName, String(r.hosts.length), steps, when(r.createdAt), took(r), r.createdBy ?? '-'];
    });
    ctx.out.write(`${table(['RUN', 'STATUS', 'PIPELINE', 'CLUSTER', 'HOSTS', 'STEPS', 'CREATED (UTC)', 'TOOK', 'BY'], rows)}\n`);
    if (page.items.length === 0) ctx.out.write('(no runs)\n');
    return EXIT.ok;
  });
}

async function runsShow(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const runId = runIdArg(p.positionals[0], ctx.usage);
  return withBackend(ctx, 'none', async (b) => {
    const run = await b.getRun(runId);
    ctx.out.write(ctx.output === 'json' ? `${JSON.stringify(run)}\n` : renderGrid(run));
    return EXIT.ok;
  });
}

async function stepIds(b: Backend, runId: number, step: string | undefined): Promise<Array<string | undefined>> {
  if (step === undefined) return [undefined];
  if (/^\d+\.\d+\.\d+$/.test(step)) return [step];
  const { plan } = await b.getRun(runId);
  const all = plan?.modules.flatMap((m) => m.tasks.flatMap((t) => t.steps.map((s) => ({ id: s.id, names: [s.name, `${t.name} › ${s.name}`, `${t.name}/${s.name}`] })))) ?? [];
  const hits = all.filter((s) => s.names.some((n) => n.toLowerCase() === step.toLowerCase())).map((s) => s.id);
  if (hits.length === 0) throw badInput(`run #${runId} has no step "${step}"`, [`steps: ${[...new Set(all.map((s) => s.names[0]))].join(', ')}`]);
  return hits;
}

async function runsLogs(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const runId = runIdArg(p.positionals[0], ctx.usage);
  const host = p.values.host as string | undefined;
  return withBackend(ctx, 'none', async (b) => {
    const lines: RunLogLine[] = [];
    for (const stepId of await stepIds(b, runId, p.values.step as string | undefined)) {
      for (let afterSeq = 0; ; ) {
        const page = await b.pageLogs({ runId, afterSeq, limit: 5000, ...(host ? { host } : {}), ...(stepId ? { stepId } : {}) });
        lines.push(...page.lines);
        if (page.nextSeq === null || page.lines.length === 0) break;
        afterSeq = page.nextSeq;
      }
    }
    lines.sort((a, c) => a.seq - c.seq);
    for (const l of lines) {
      if (ctx.output === 'json') ctx.out.write(`${JSON.stringify(l)}\n`);
      else ctx.out.write(`${host ? '' : `[${l.host ?? 'run'}] `}${l.text}\n`);
    }
    return EXIT.ok;
  });
}

async function runsCancel(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const runId = runIdArg(p.positionals[0], ctx.usage);
  return withBackend(ctx, 'cancel', async (b) => {
    const res = await b.cancelRun(runId);
    if (ctx.output === 'json') ctx.out.write(`${JSON.stringify(res)}\n`);
    else ctx.out.write(`run #${runId}: ${res.status}\n`);
    return EXIT.ok;
  });
}

async function runsRetry(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const runId = runIdArg(p.positionals[0], ctx.usage);
  return withBackend(ctx, 'run', async (b) => {
    const { runId: next } = await b.retryRun(runId, p.values.confirm as string | undefined);
    ctx.note(`run #${next} retries run #${runId}`);
    return followRun(b, next, ctx);
  });
}

export const RUNS_COMMANDS = {
  'runs list': runsList,
  'runs show': runsShow,
  'runs logs': runsLogs,
  'runs cancel': runsCancel,
  'runs retry': runsRetry,
} as const;
