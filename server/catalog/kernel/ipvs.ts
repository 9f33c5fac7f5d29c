import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import type { ClusterSpec, KxStep } from '../common/types';

/** kube-proxy's ipvs mode needs these kernel modules (KubeKey and Kubespray load the same) */
export const IPVS_MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack'] as const;
export const usesIpvs = (spec: Pick<ClusterSpec, 'kubernetes'>) => spec.kubernetes.proxyMode === 'ipvs';
export const isIpvsModule = (m: string) => (IPVS_MODULES as readonly string[]).includes(m);

/** What to do when the kernel cannot load them: the same words in the preflight check and in the module step. */
export const IPVS_ADVICE =
  "kube-proxy's ipvs mode needs them: boot a kernel built with IPVS (CONFIG_IP_VS and its rr/wrr/sh schedulers, as modules or built in) " +
  "or install the package with this kernel's modules, or set kubernetes.proxyMode: iptables";

// kube-proxy in ipvs mode programs the kernel through ipset and reads rules back with ipvsadm (KubeKey installs both)
const TOOLS = [{ tool: 'ipset', debian: 'ipset', rhel: 'ipset' }, { tool: 'ipvsadm', debian: 'ipvsadm', rhel: 'ipvsadm' }] as const;

export const checkIpvsTools: KxStep = {
  name: 'Check ipset and ipvsadm (kube-proxy ipvs)',
  check: async () => false,
  run: async (ctx) => {
    const res = await ctx.exec(sh`for t in ${TOOLS.map((t) => t.tool)}; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done`, { sudo: true, quiet: true });
    const missing = res.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    if (missing.length > 0) {
      const pkgs = TOOLS.filter((t) => missing.includes(t.tool));
      throw new StepError('command', `proxyMode ipvs needs ${missing.join(' and ')} on ${ctx.host.name}: install ${pkgs.map((p) => p.debian).join(' ')} (Debian/Ubuntu) or ${pkgs.map((p) => p.rhel).join(' ')} (RHEL family), or add them to system.debs / system.rpms`);
    }
    ctx.log('ipset and ipvsadm are installed');
  },
};
