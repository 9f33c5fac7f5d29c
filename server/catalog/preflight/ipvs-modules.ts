import { sh } from '../../connectors/shell-quote';
import { IPVS_ADVICE, IPVS_MODULES } from '../kernel/ipvs';
import { summarizeModprobe } from '../kernel/unloadable';
import type { KxContext, KxStep } from '../common/types';
import { recordCheck } from './report';
import type { CheckResult } from './report';
import { recordOrFail } from './steps';

export type ModuleProbe = { module: string; state: 'loaded' | 'available' | 'missing'; message: string };
export type IpvsFacts = { kernel: string; modules: ModuleProbe[]; config: string };

// Asked without changing anything: /sys/module for what is loaded, `modprobe -n` (which reads modules.dep and
// modules.builtin of the running kernel) for what could be, and the kernel's own config line for CONFIG_IP_VS.
const PROBE = (modules: readonly string[]) => sh`printf 'kernel\t%s\n' "$(uname -r)"
for m in ${[...modules]}; do
  if [ -d "/sys/module/$m" ]; then printf '%s\tloaded\t\n' "$m"
  elif out=$(LC_ALL=C modprobe -n -- "$m" 2>&1); then printf '%s\tavailable\t\n' "$m"
  else printf '%s\tmissing\t%s\n' "$m" "$(printf '%s' "$out" | tr '\n\t' '  ')"; fi
done
cfg=$( (zcat /proc/config.gz || cat "/boot/config-$(uname -r)") 2>/dev/null | grep -E '^(# )?CONFIG_IP_VS[= ]')
printf 'config\t%s\n' "$cfg"`;

export function parseIpvsFacts(text: string): IpvsFacts {
  const facts: IpvsFacts = { kernel: '', modules: [], config: '' };
  for (const line of text.split('\n')) {
    const [key = '', a = '', ...rest] = line.split('\t');
    if (key === 'kernel') facts.kernel = a.trim();
    else if (key === 'config') facts.config = [a, ...rest].join('\t').trim();
    else if (a === 'loaded' || a === 'available' || a === 'missing') facts.modules.push({ module: key, state: a, message: rest.join(' ').trim() });
  }
  return facts;
}

const EXPECTED = `${IPVS_MODULES.join(', ')} loaded or loadable (kube-proxy ipvs mode)`;

export function evaluateIpvsModules(f: IpvsFacts): CheckResult {
  const base = { check: 'ipvs' as const, expected: EXPECTED };
  if (f.modules.length === 0) return { ...base, status: 'failed', measured: 'the kernel could not be asked (no answer from the probe)' };
  const missing = f.modules.filter((m) => m.state === 'missing');
  if (missing.length === 0) {
    const loaded = f.modules.filter((m) => m.state === 'loaded').length;
    return { ...base, status: 'passed', measured: `${f.kernel}: ${loaded} loaded, ${f.modules.length - loaded} loadable` };
  }
  const config = f.config ? `; kernel config: ${f.config.replace(/^# (\S+) is not set$/, '$1 is not set')}` : '';
  const said = summarizeModprobe(missing.map((m) => ({ module: m.module, message: m.message || 'modprobe -n failed without a message' })));
  return {
    ...base,
    status: 'failed',
    measured: `${f.kernel}: cannot load ${missing.map((m) => m.module).join(', ')} (${said}${config}). ${IPVS_ADVICE}`,
  };
}

/** kubernetes.proxyMode ipvs: asks the kernel whether the IPVS modules can load, before the kernel module changes anything. */
export const ipvsModulesStep: KxStep = {
  name: 'Check IPVS kernel modules (proxyMode ipvs)',
  check: async () => false,
  run: async (ctx: KxContext) => {
    let facts: IpvsFacts;
    try {
      facts = parseIpvsFacts((await ctx.exec(PROBE(IPVS_MODULES), { quiet: true })).stdout);
    } catch (err) {
      recordCheck(ctx, { check: 'ipvs', status: 'failed', measured: `error: ${(err as Error).message}`, expected: EXPECTED });
      throw err;
    }
    recordOrFail(ctx, evaluateIpvsModules(facts));
  },
};
