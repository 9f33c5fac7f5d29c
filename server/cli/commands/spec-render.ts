import fs from 'node:fs';
import path from 'node:path';
import type { SpecHost } from '../../catalog/common/types';
import { diffHosts, type HostDiff } from '../../catalog/render/diff-hosts';
import { artifactTextFrom, RenderError, renderHostFiles, type HostFiles, type RenderedFile } from '../../catalog/render/host-files';
import { notGiven, specForRender } from '../../catalog/render/spec-for-render';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { sshConnect } from '../../runner/connect';
import type { Parsed } from '../args';
import type { Ctx } from '../context';
import { EXIT, badInput, type ExitCode } from '../errors';
import { openBackend } from '../open-backend';
import { loadSpecFile } from '../spec-file';

const mode = (m: number) => m.toString(8).padStart(4, '0');

function header(h: HostFiles): string {
  const facts = `${h.facts.arch}, ${h.facts.osFamily} family${h.factsRead ? '' : ' (assumed: the host was not read)'}`;
  return `# ${h.host} (${h.roles.join(', ')}) — ${facts}, ${h.files.length} file(s)\n`;
}

function fileTitle(f: RenderedFile): string {
  const what = f.kind === 'command' ? 'command' : f.kind === 'block' ? `${mode(f.mode)} block` : mode(f.mode);
  return `== ${f.path}  ${what}  [${f.module} › ${f.step}]${f.note ? `  (${f.note})` : ''}`;
}

function printRender(ctx: Ctx, hosts: readonly HostFiles[]): void {
  for (const h of hosts) {
    ctx.out.write(`${header(h)}\n`);
    for (const f of h.files) ctx.out.write(`${fileTitle(f)}\n${f.content ?? ''}${f.content && !f.content.endsWith('\n') ? '\n' : ''}\n`);
  }
}

/** DIR/<host>/<path> for every file with content, and DIR/<host>/INDEX listing all of them (mode, path, kind, step, note). */
function writeOut(dir: string, hosts: readonly HostFiles[]): number {
  let n = 0;
  for (const h of hosts) {
    const root = path.join(dir, h.host);
    const index: string[] = [];
    for (const f of h.files) {
      index.push(`${mode(f.mode)} ${f.kind ?? 'file'} ${f.path}\t${f.module} › ${f.step}${f.note ? ` (${f.note})` : ''}`);
      if (f.content === null || f.kind === 'command') continue;
      const target = path.join(root, path.normalize(f.path));
      if (!target.startsWith(`${root}${path.sep}`)) throw badInput(`refusing to write ${f.path} outside ${root}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.content, { mode: f.mode & 0o700 ? f.mode & 0o755 : 0o644 });
      n++;
    }
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'INDEX'), `${index.join('\n')}\n`);
  }
  return n;
}

async function savedPins(ctx: Ctx, name: string): Promise<Map<string, string>> {
  const backend = await openBackend({ dataDir: ctx.dataDir, need: 'none', log: () => undefined });
  try {
    const cluster = (await backend.listClusters()).find((c) => c.name === name);
    if (!cluster) return new Map();
    const detail = await backend.getCluster(cluster.id);
    return new Map(detail.hosts.flatMap((h) => (h.hostKey.fingerprint ? [[h.name, h.hostKey.fingerprint] as const] : [])));
  } finally {
    await backend.close();
  }
}

function connectWith(pins: ReadonlyMap<string, string>, file: string) {
  return (h: SpecHost) => {
    const pinned = h.hostKeyFingerprint ?? pins.get(h.name);
    if (!pinned) throw new Error(`host key not pinned: run \`kubexms preflight -f ${file} --accept-new-host-keys\` once, or set hostKeyFingerprint on the host`);
    const secret = h.auth.type === 'key' ? h.auth.privateKey : h.auth.password;
    if (notGiven(secret)) throw new Error(`no SSH ${h.auth.type === 'key' ? 'private key' : 'password'} in ${file}`);
    return sshConnect({ name: h.name, address: h.address, roles: h.roles, data: h }, pinned, { pipeline: 'spec render --diff' });
  };
}

function printDiffs(ctx: Ctx, diffs: readonly HostDiff[]): boolean {
  let clean = true;
  for (const d of diffs) {
    if (d.error) {
      clean = false;
      ctx.out.write(`# ${d.host}: not compared: ${d.error}\n\n`);
      continue;
    }
    const count = new Map<string, number>();
    for (const f of d.files) count.set(f.state, (count.get(f.state) ?? 0) + 1);
    ctx.out.write(`# ${d.host}: ${[...count].map(([s, n]) => `${n} ${s}`).join(', ')}\n`);
    for (const f of d.files) {
      if (f.state === 'same' || f.state === 'not-compared') continue;
      if (f.state !== 'present') clean = false;
      ctx.out.write(`${f.state.padEnd(8)} ${f.path}: ${f.detail}\n${f.diff}`);
    }
    ctx.out.write('\n');
  }
  return clean;
}

/** Renders what createCluster writes on each host; nothing is saved, no host is written to, secrets never printed. */
async function specRender(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  try {
    return await render(p, ctx);
  } catch (err) {
    if (err instanceof RenderError) throw badInput(`${String(p.values.file)}: ${err.message}`);
    throw err;
  }
}

async function render(p: Parsed, ctx: Ctx): Promise<ExitCode> {
  const file = String(p.values.file);
  const loaded = loadSpecFile(file);
  const checked = specForRender(loaded.spec);
  if (!checked.ok) throw badInput(`${file}: the spec does not pass validation`, checked.errors.map((e) => `${e.path}: ${e.message}`));
  const spec: ClusterSpec = checked.spec;
  const only = p.values.host === undefined ? undefined : [String(p.values.host)];
  if (only && !spec.hosts.some((h) => h.name === only[0])) throw badInput(`--host ${only[0]}: not in ${file}`, [`hosts: ${spec.hosts.map((h) => h.name).join(', ')}`]);
  const options = { artifactText: artifactTextFrom(ctx.dataDir, spec), ...(only ? { hosts: only } : {}) };
  if (p.values.diff) {
    const pins = await savedPins(ctx, spec.name);
    const { rendered, diffs } = await diffHosts(spec, { ...options, connect: connectWith(pins, file) });
    if (ctx.output === 'json') {
      for (const d of diffs) ctx.out.write(`${JSON.stringify({ ...d, facts: rendered.find((r) => r.host === d.host)?.facts })}\n`);
      return diffs.every((d) => !d.error && d.files.every((f) => ['same', 'present', 'not-compared'].includes(f.state))) ? EXIT.ok : EXIT.failed;
    }
    return printDiffs(ctx, diffs) ? EXIT.ok : EXIT.failed;
  }
  const rendered = await renderHostFiles(spec, options);
  const dir = p.values['out-dir'];
  if (typeof dir === 'string') {
    const n = writeOut(path.resolve(dir), rendered);
    ctx.note(`wrote ${n} file(s) for ${rendered.length} host(s) under ${path.resolve(dir)} (each host's INDEX lists every file)`);
    return EXIT.ok;
  }
  if (ctx.output === 'json') for (const h of rendered) ctx.out.write(`${JSON.stringify({ ...h, files: h.files.map(({ merge: _m, ...f }) => f) })}\n`);
  else printRender(ctx, rendered);
  return EXIT.ok;
}

export const SPEC_RENDER_COMMANDS = { 'spec render': specRender } as const;
