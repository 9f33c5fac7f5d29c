import { InstallModule } from '../../contracts/run-phases';
import type { CommandName, Parsed } from '../args';
import type { Backend } from '../backend';
import type { Ctx } from '../context';
import { CliError, EXIT, UsageError, badInput, type ExitCode } from '../errors';
import { followRun } from '../follow';
import { ensureHostKeys } from '../host-keys';
import { openBackend } from '../open-backend';
import { loadSpecFile, type SpecFile } from '../spec-file';

const PIPELINES: Partial<Record<CommandName, string>> = {
  'create cluster': 'createCluster',
  preflight: 'preflightOnly',
  reset: 'resetCluster',
  'add nodes': 'addNodes',
  'delete nodes': 'removeNodes',
};

export function isApplyCommand(name: CommandName): boolean {
  return name in PIPELINES;
}

function nodesArg(p: Parsed, spec: SpecFile, usage: string): string[] | undefined {
  if (p.command.name !== 'add nodes' && p.command.name !== 'delete nodes') return undefined;
  const nodes = String(p.values.nodes).split(',').map((s) => s.trim()).filter(Boolean);
  if (nodes.length === 0) throw new UsageError('--nodes: name at least one host', usage);
  const known = new Set(spec.spec.hosts.map((h) => h.name));
  const unknown = nodes.filter((n) => !known.has(n));
  if (unknown.length) throw badInput(`--nodes: not in ${spec.file}: ${unknown.join(', ')}`, [`hosts in the file: ${[...known].join(', ')}`]);
  return nodes;
}

/** Creates the cluster named in the file, or updates the one of that name (secrets not given keep their stored value). */
export async function saveCluster(backend: Backend, spec: SpecFile, note: (line: string) => void): Promise<number> {
  const name = spec.spec.name;
  const existing = (await backend.listClusters()).find((c) => c.name === name);
  const missing = spec.unresolved.filter((u) => u.required);
  try {
    if (!existing) {
      if (missing.length) throw badInput(`${spec.file}: ${missing.length} secret(s) missing for the new cluster "${name}"; nothing was saved or run`, missing.map((u) => u.problem));
      const res = await backend.createCluster(spec.spec, spec.text);
      note(`created cluster "${name}" (#${res.id})`);
      for (const w of res.warnings) note(`warning: ${w.path}: ${w.message}`);
      return res.id;
    }
    const res = await backend.updateCluster({ clusterId: existing.id, expectedVersion: existing.version, spec: spec.spec, kubekeySource: spec.text });
    note(`updated cluster "${name}" (#${res.id}, version ${res.version})`);
    for (const w of res.warnings) note(`warning: ${w.path}: ${w.message}`);
    return res.id;
  } catch (err) {
    if (err instanceof CliError && err.exitCode === EXIT.badInput && missing.length) throw badInput(err.message, [...err.details, ...missing.map((u) => u.problem)]);
    throw err;
  }
}

/** The per-host tables the "Preflight report" steps logged, as one table. */
async function printPreflightReport(backend: Backend, runId: number, ctx: Ctx): Promise<void> {
  const run = await backend.getRun(runId);
  const steps = run.plan?.modules.flatMap((m) => m.tasks.flatMap((t) => t.steps)).filter((s) => s.name === 'Preflight report') ?? [];
  const rows: string[] = [];
  let header: string | null = null;
  for (const step of steps) {
    for (const host of run.run.hosts) {
      const page = await backend.pageLogs({ runId, stepId: step.id, host, limit: 500 });
      for (const l of page.lines.flatMap((x) => x.text.split('\n'))) {
        if (/^HOST\s+CHECK\s+STATUS/.test(l)) header ??= l;
        else if (l.startsWith(`${host} `)) rows.push(l);
      }
    }
  }
  if (header) ctx.out.write(`\n${[header, ...rows].join('\n')}\n`);
}

/** create cluster / preflight / reset / add nodes: file checked first (nothing runs on bad input), cluster saved, host keys, run followed. */
export async function applyCommand(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const pipeline = PIPELINES[p.command.name];
  if (!pipeline) throw new CliError(`not a run command: ${p.command.name}`);
  const spec = loadSpecFile(String(p.values.file));
  for (const w of spec.warnings) ctx.err.write(`warning: ${w}\n`);
  const nodes = nodesArg(p, spec, ctx.usage);
  const backend = await openBackend({ dataDir: ctx.dataDir, need: 'run', log: ctx.note });
  try {
    for (const k of spec.keysRead) ctx.note(`read ${k}`);
    const clusterId = await saveCluster(backend, spec, ctx.note);
    await ensureHostKeys(backend, clusterId, p.values['accept-new-host-keys'] === true, ctx.note);
    const until = p.values.until === undefined ? undefined : InstallModule.parse(p.values.until);
    // the command line names the cluster's file and the nodes: that is the confirmation the browser asks to type
    const confirm = pipeline === 'removeNodes' ? { confirmName: spec.spec.name } : {};
    const { runId } = await backend.startRun({ clusterId, pipeline, ...(nodes ? { nodes } : {}), ...(until ? { until } : {}), ...confirm });
    const code = await followRun(backend, runId, ctx);
    if (pipeline === 'preflightOnly' && ctx.output === 'text') await printPreflightReport(backend, runId, ctx);
    return code;
  } finally {
    await backend.close();
  }
}
