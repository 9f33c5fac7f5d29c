import { posix } from 'node:path';
import { sh } from '../../connectors/shell-quote';
import type { Hook } from '../../contracts/spec-system';
import { StepError } from '../../engine';
import { readRemoteFile, writeFileIfChanged } from '../common/files';
import { osFamily, parseOsRelease } from '../common/os-release';
import type { KxContext, KxStep } from '../common/types';
import { HOOK_DIR, renderTimezone, TIMEZONE_FILE } from './render';

export async function family(ctx: KxContext): Promise<'debian' | 'rhel' | 'other'> {
  const text = await readRemoteFile(ctx, '/etc/os-release');
  return text ? osFamily(parseOsRelease(text)) : 'other';
}

/** A KubeKey pre/postInstall entry: its materials copied beside it, its bash line run as root there; output goes to the grid. */
export function hookStep(phase: 'preInstall' | 'postInstall', hook: Hook, index: number): KxStep {
  const dir = `${HOOK_DIR}/${phase}-${index}`;
  const line = sh`cd ${dir} && bash -c ${hook.bash}`;
  return {
    name: `${phase}: ${hook.name}`,
    writes: () => [
      ...hook.materials.map((m) => ({ path: posix.join(dir, m.name), content: m.content, mode: 0o700 })),
      { path: dir, content: `${line}\n`, mode: 0o700, kind: 'command' as const, note: `run as root on every run (${phase})` },
    ],
    // Every run, as KubeKey runs them: its CustomScriptsModule (cmd/kk/pkg/bootstrap/customscripts) has no check, and
    // users migrating write their hooks to be run again; a marker would skip a hook meant to repair drift on a rerun.
    check: async () => false,
    run: async (ctx) => {
      ctx.log(`${phase} hooks run on every run (as in KubeKey): a rerun runs "${hook.name}" again, so it must be safe to repeat`);
      await ctx.sudo(sh`rm -rf -- ${dir} && install -d -m 0700 -- ${dir}`);
      for (const m of hook.materials) await ctx.upload(Buffer.from(m.content), posix.join(dir, m.name), { mode: 0o700, sudo: true });
      await ctx.run(line, { sudo: true, label: `${phase}: ${hook.name}` });
    },
  };
}

/** The packages of the list that are not installed (dpkg or rpm, as the family says). */
export async function missingPackages(ctx: KxContext, f: string, pkgs: readonly string[]): Promise<string[]> {
  if (pkgs.length === 0) return [];
  const query = f === 'debian'
    ? sh`for p in ${[...pkgs]}; do dpkg-query -W -f=${'${Status}'} "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done`
    : sh`for p in ${[...pkgs]}; do rpm -q "$p" >/dev/null 2>&1 || echo "$p"; done`;
  return (await ctx.exec(query, { quiet: true })).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

export function packagesStep(debs: readonly string[], rpms: readonly string[]): KxStep {
  const wanted = async (ctx: KxContext) => {
    const f = await family(ctx);
    return { f, pkgs: f === 'debian' ? debs : f === 'rhel' ? rpms : [] };
  };
  return {
    name: 'Install packages (system.debs / system.rpms)',
    check: async (ctx) => {
      const { f, pkgs } = await wanted(ctx);
      return (await missingPackages(ctx, f, pkgs)).length === 0;
    },
    run: async (ctx) => {
      const { f, pkgs } = await wanted(ctx);
      const todo = await missingPackages(ctx, f, pkgs);
      if (f === 'other') throw new StepError('command', `${ctx.host.name}: neither a Debian nor a RHEL family system; install ${pkgs.join(' ')} by other means`);
      if (f === 'debian') {
        // apt only knows what its lists say: a file: repository added for this install is read by an update first
        // (a source it cannot reach is a warning to apt, exit 0; the preflight check already found a usable one)
        const update = await ctx.exec(sh`DEBIAN_FRONTEND=noninteractive apt-get update -o Acquire::Retries=0 -o Acquire::http::Timeout=10 -o Acquire::https::Timeout=10`, { sudo: true });
        if (update.exitCode !== 0) throw new StepError('command', `apt-get update failed on ${ctx.host.name}: ${update.stderr.trim().split('\n').pop() ?? `exit ${update.exitCode}`}`);
      }
      const cmd = f === 'debian'
        ? sh`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -- ${todo}`
        : sh`if command -v dnf >/dev/null; then dnf install -y ${todo}; else yum install -y ${todo}; fi`;
      const res = await ctx.exec(cmd, { sudo: true });
      if (res.exitCode !== 0) {
        throw new StepError('command', `could not install ${todo.join(' ')} with the host's package manager (offline with no repository configured?): ${res.stderr.trim().split('\n').pop() ?? `exit ${res.exitCode}`}`);
      }
    },
  };
}

export function timezoneStep(zone: string): KxStep {
  const file = `/usr/share/zoneinfo/${zone}`;
  const link = sh`ln -sf ${file} /etc/localtime`;
  return {
    name: `Set time zone ${zone}`,
    writes: () => [
      { path: TIMEZONE_FILE, content: renderTimezone(zone), mode: 0o644 },
      { path: '/etc/localtime', content: `${link}\n`, mode: 0o777, kind: 'command' as const, note: `a link to ${file}` },
    ],
    check: async (ctx) => (await ctx.exec(sh`[ "$(readlink -f /etc/localtime)" = "$(readlink -f ${file})" ]`, { quiet: true })).exitCode === 0,
    run: async (ctx) => {
      if ((await ctx.exec(sh`test -f ${file}`, { quiet: true })).exitCode !== 0) throw new StepError('command', `${ctx.host.name} has no ${file} (is tzdata installed?)`);
      await ctx.sudo(link);
      await writeFileIfChanged(ctx, TIMEZONE_FILE, renderTimezone(zone), 0o644);
    },
  };
}
