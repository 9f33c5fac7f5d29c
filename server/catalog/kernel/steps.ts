import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches, writeFileIfChanged } from '../common/files';
import type { KxContext, KxStep } from '../common/types';
import { MODULES_LOAD_FILE, parseModuleStates, parseSysctlValues, renderModulesLoad, renderSysctl, SYSCTL_FILE, sysctlDrift } from './config';

/** /sys/module/<name> exists for loaded modules; built-ins without parameters lack it, so ask modprobe too (no lsmod: /proc/modules may be absent). */
async function moduleStates(ctx: KxContext, modules: readonly string[]): Promise<Map<string, boolean>> {
  const res = await ctx.exec(
    sh`for m in ${[...modules]}; do if [ -d "/sys/module/$m" ] || LC_ALL=C modprobe -n --first-time "$m" 2>&1 | grep -q -e 'already in kernel' -e 'builtin'; then printf '%s\tloaded\n' "$m"; else printf '%s\tmissing\n' "$m"; fi; done`,
    { sudo: true, quiet: true },
  );
  return parseModuleStates(res.stdout);
}

export function loadModulesStep(modules: readonly string[]): KxStep {
  const content = renderModulesLoad(modules);
  const missing = async (ctx: KxContext) => {
    const states = await moduleStates(ctx, modules);
    return modules.filter((m) => states.get(m) !== true);
  };
  return {
    name: 'Load kernel modules',
    writes: () => [{ path: MODULES_LOAD_FILE, content, mode: 0o644 }],
    check: async (ctx) => (await fileMatches(ctx, MODULES_LOAD_FILE, content, 0o644)) && (await missing(ctx)).length === 0,
    run: async (ctx) => {
      for (const m of modules) await ctx.sudo(sh`modprobe -- ${m}`);
      const still = await missing(ctx);
      if (still.length) throw new StepError('command', `modprobe succeeded but these modules are not loaded: ${still.join(', ')}`);
      await writeFileIfChanged(ctx, MODULES_LOAD_FILE, content, 0o644);
    },
  };
}

async function liveSysctls(ctx: KxContext, keys: readonly string[]): Promise<Map<string, string>> {
  const res = await ctx.exec(sh`for k in ${[...keys]}; do printf '%s\t%s\n' "$k" "$(sysctl -n "$k" 2>/dev/null)"; done`, { sudo: true, quiet: true });
  return parseSysctlValues(res.stdout);
}

export function sysctlStep(params: Readonly<Record<string, string>>): KxStep {
  const content = renderSysctl(params);
  const keys = Object.keys(params);
  return {
    name: 'Apply sysctl settings',
    writes: () => [{ path: SYSCTL_FILE, content, mode: 0o644 }],
    check: async (ctx) => (await fileMatches(ctx, SYSCTL_FILE, content, 0o644)) && sysctlDrift(params, await liveSysctls(ctx, keys)).length === 0,
    run: async (ctx) => {
      await writeFileIfChanged(ctx, SYSCTL_FILE, content, 0o644);
      for (const [k, v] of Object.entries(params)) await ctx.sudo(sh`sysctl -w ${`${k}=${v}`}`);
      const drift = sysctlDrift(params, await liveSysctls(ctx, keys));
      if (drift.length) throw new StepError('command', `sysctl -w did not take effect for: ${drift.join(', ')}`);
    },
  };
}
