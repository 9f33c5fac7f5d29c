import type { Parsed } from '../args';
import type { Ctx } from '../context';
import { EXIT, badInput, type ExitCode } from '../errors';
import { openBackend } from '../open-backend';
import { loadSpecFile } from '../spec-file';

async function specExport(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const ref = p.positionals[0] ?? '';
  const backend = await openBackend({ dataDir: ctx.dataDir, need: 'none', log: ctx.note });
  try {
    const clusters = await backend.listClusters();
    const byId = /^#?\d+$/.test(ref) ? clusters.find((c) => c.id === Number(ref.replace('#', ''))) : undefined;
    const cluster = clusters.find((c) => c.name === ref) ?? byId;
    if (!cluster) throw badInput(`no cluster named "${ref}"`, clusters.length ? [`clusters: ${clusters.map((c) => c.name).join(', ')}`] : []);
    const { text } = await backend.exportKubeKey(cluster.id);
    ctx.out.write(ctx.output === 'json' ? `${JSON.stringify({ name: cluster.name, yaml: text })}\n` : text);
    return EXIT.ok;
  } finally {
    await backend.close();
  }
}

/** Parses and checks the file as `create cluster` would, and reads the private keys it names; saves and runs nothing. */
async function specValidate(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const file = String(p.values.file);
  const spec = loadSpecFile(file);
  const missing = spec.unresolved.filter((u) => u.required).map((u) => u.problem);
  if (ctx.output === 'json') {
    ctx.out.write(`${JSON.stringify({ ok: true, name: spec.spec.name, hosts: spec.spec.hosts.map((h) => h.name), warnings: spec.warnings, missingSecrets: missing })}\n`);
    return EXIT.ok;
  }
  for (const w of spec.warnings) ctx.out.write(`warning: ${w}\n`);
  for (const m of missing) ctx.out.write(`note: ${m} (a new cluster needs it; an existing one keeps its stored value)\n`);
  const roles = spec.spec.hosts.map((h) => `${h.name} (${h.roles.join(', ')})`).join(', ');
  ctx.out.write(`${file}: valid cluster "${spec.spec.name}" with ${spec.spec.hosts.length} host(s): ${roles}\n`);
  return EXIT.ok;
}

export const SPEC_COMMANDS = { 'spec export': specExport, 'spec validate': specValidate } as const;
