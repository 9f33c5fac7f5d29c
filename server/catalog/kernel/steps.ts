import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches, writeFileIfChanged } from '../common/files';
import type { KxContext, KxStep } from '../common/types';
import { describeUnloadable, parseUnloadable } from './unloadable';
import { MODULES_LOAD_FILE, parseModuleStates, parseSysctlValues, renderModulesLoad, renderSysctl, SYSCTL_FILE, sysctlDrift } from './config';

/** /sys/module/<name> exists for loaded modules; built-ins without parameters lack it, so ask modprobe too (no lsmod: /proc/modules may be absent). */
async function moduleStates(ctx: KxContext, modules: readonly string[]): Promise<Map<string, boolean>> {
  const res = await ctx.exec(
    sh`for m in ${[...modules]}; do if [ -d "/sys/module/$m" ] || LC_ALL=C modprobe -n --first-time "$m" 2>&1 | grep -q -e 'already in kernel' -e 'builtin'; then printf '%s\tloaded\n' "$m"; else printf '%s\tmissing\n' "$m"; fi; done`,
    { sudo: true, quiet: true },
  );
  return parseModuleStates(res.stdout);
}

/**
 * Persists the list, then loads every module and reports all the kernel refuses in one error. The order is KubeKey's:
 * its initOS.sh (kubesphere/kubekey cmd/kk/pkg/bootstrap/os/templates/init_script.go) runs `modprobe ip_vs` … without
 * stopping on a failure and writes /etc/modules-load.d/kube_proxy-ipvs.conf whatever modprobe said. Kubespray
 * (roles/kubernetes/node/tasks/main.yml) stops at the first failed "Modprobe Kernel Module for IPVS", before "Persist
 * ip_vs modules"; like it we fail the step, but only after trying every module, so the error names all of them. With the
 * file on the host a kernel that has the modules loads them at boot; a rerun rewrites the whole file (no duplicate lines).
 */
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
      await writeFileIfChanged(ctx, MODULES_LOAD_FILE, content, 0o644);
      const res = await ctx.exec(
        sh`for m in ${[...modules]}; do out=$(LC_ALL=C modprobe -- "$m" 2>&1) || printf '%s\t%s\n' "$m" "$(printf '%s' "$out" | tr '\n\t' '  ')"; done`,
        { sudo: true, label: `modprobe ${modules.join(' ')}` },
      );
      const refused = parseUnloadable(res.stdout);
      if (refused.length) throw new StepError('command', describeUnloadable(ctx.host.name, refused));
      const still = await missing(ctx);
      if (still.length) throw new StepError('command', `modprobe succeeded but these modules are not loaded: ${still.join(', ')}`);
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
