export const MODULES_LOAD_FILE = '/etc/modules-load.d/kubexms.conf';
export const SYSCTL_FILE = '/etc/sysctl.d/99-kubexms.conf';

export const KERNEL_MODULES = ['overlay', 'br_netfilter'] as const;

// vm.* keys (e.g. vm.swappiness) are left out: container hosts often deny them, and kubelet does not need them.
export const SYSCTLS: Readonly<Record<string, string>> = {
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.ipv4.ip_forward': '1',
};

const KEY = /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/;
const MODULE = /^[a-z0-9_-]+$/;

export function renderModulesLoad(modules: readonly string[]): string {
  for (const m of modules) if (!MODULE.test(m)) throw new RangeError(`invalid kernel module name ${JSON.stringify(m)}`);
  return `# Managed by kubexms: kernel modules Kubernetes needs, loaded at boot\n${modules.join('\n')}\n`;
}

export function renderSysctl(params: Readonly<Record<string, string>>): string {
  const lines = Object.entries(params).map(([k, v]) => {
    if (!KEY.test(k) || /[\n\r]/.test(v)) throw new RangeError(`invalid sysctl ${JSON.stringify(k)}=${JSON.stringify(v)}`);
    return `${k} = ${v}`;
  });
  return `# Managed by kubexms: kernel settings Kubernetes needs\n${lines.join('\n')}\n`;
}

/** `key<TAB>value` lines as printed by the sysctl read-back; multi-value keys are compared with whitespace collapsed. */
export function parseSysctlValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1).trim().replace(/\s+/g, ' '));
  }
  return out;
}

/** Keys whose live value differs from the wanted one. */
export function sysctlDrift(wanted: Readonly<Record<string, string>>, live: ReadonlyMap<string, string>): string[] {
  return Object.entries(wanted)
    .filter(([k, v]) => live.get(k) !== v.trim().replace(/\s+/g, ' '))
    .map(([k]) => k);
}

/** `name<TAB>loaded|missing` lines. */
export function parseModuleStates(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    const [name, state] = line.split('\t');
    if (name && state) out.set(name, state.trim() === 'loaded');
  }
  return out;
}
