import type { OsRelease } from '../common/os-release';
import { parseOsRelease } from '../common/os-release';

// Kubernetes needs the first five; the others are what kubexms's own steps run (sysctl, modprobe, systemctl, sha256sum).
export const REQUIRED_COMMANDS = ['conntrack', 'socat', 'ipset', 'ebtables', 'iptables', 'ip', 'sysctl', 'modprobe', 'systemctl', 'sha256sum'] as const;
export const DISK_PATHS = ['/', '/var/lib'] as const;

export type Listener = { address: string; port: number; processes: { name: string; pid: number }[] };
export type ProcessInfo = { comm: string; cgroup: string };
export type DiskFree = { path: string; mount: string; availKb: number };
export type FirewallState = 'active' | 'inactive' | 'absent';
export type ClockSample = { offsetMs: number; rttMs: number };

export type HostFacts = {
  os: OsRelease;
  cpus: number | null;
  memTotalKb: number | null;
  swapActiveKb: number;
  swapDevices: string[];
  fstabSwapLines: string[];
  hostname: string;
  /** null when `ss` is not installed */
  listeners: Listener[] | null;
  processes: Map<number, ProcessInfo>;
  commands: Record<string, string | null>;
  disks: DiskFree[];
  firewall: { ufw: FirewallState; firewalld: FirewallState };
};

/** Prints `ufw<TAB>Status: …` and `firewalld<TAB>active|inactive|…` for the firewalls that are installed. */
export const FIREWALL_SCRIPT = `if command -v ufw >/dev/null 2>&1; then printf 'ufw\\t%s\\n' "$(LC_ALL=C ufw status 2>/dev/null | head -n 1)"; fi
if systemctl cat firewalld.service >/dev/null 2>&1; then printf 'firewalld\\t%s\\n' "$(systemctl is-active firewalld 2>/dev/null)"; fi
`;

/** Read-only; run with sudo (ss -p and ufw status need root). Sections start with an @@name line. */
export const FACTS_SCRIPT = `LC_ALL=C; export LC_ALL
echo @@os; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
echo @@nproc; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN
echo @@meminfo; cat /proc/meminfo
echo @@swaps; cat /proc/swaps 2>/dev/null
echo @@fstab; cat /etc/fstab 2>/dev/null
echo @@hostname; hostname 2>/dev/null || uname -n
echo @@listen; if command -v ss >/dev/null 2>&1; then ss -Hltnp 2>/dev/null; else echo '!no-ss'; fi
echo @@processes; for pid in $(ss -Hltnp 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
  printf '%s\\t%s\\t%s\\n' "$pid" "$(cat /proc/$pid/comm 2>/dev/null)" "$(grep -m1 -E '^[0-9]+:(name=systemd)?:' /proc/$pid/cgroup 2>/dev/null | cut -d: -f3)"; done
echo @@commands; for c in ${REQUIRED_COMMANDS.join(' ')}; do p=$(command -v $c) && printf '%s\\t%s\\n' $c "$p"; done
echo @@df; df -P -k ${DISK_PATHS.join(' ')} 2>/dev/null
echo @@firewall
${FIREWALL_SCRIPT}echo @@end
`;

export function splitSections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const m = /^@@([a-z]+)$/.exec(line);
    if (m) out.set(m[1]!, (current = []));
    else current?.push(line);
  }
  return out;
}

/** `ss -Hltnp` lines: State Recv-Q Send-Q Local:Port Peer:Port [users:((...))]. */
export function parseSsListeners(lines: readonly string[]): Listener[] {
  const out: Listener[] = [];
  for (const line of lines) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || cols[0] !== 'LISTEN') continue;
    const local = cols[3]!;
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    if (colon < 0 || !Number.isInteger(port)) continue;
    const processes = [...line.matchAll(/\("([^"]*)",pid=(\d+)/g)].map((m) => ({ name: m[1]!, pid: Number(m[2]) }));
    out.push({ address: local.slice(0, colon), port, processes });
  }
  return out;
}

export function parseMeminfo(lines: readonly string[], key: string): number | null {
  for (const line of lines) {
    const m = /^([A-Za-z_()]+):\s+(\d+)/.exec(line);
    if (m && m[1] === key) return Number(m[2]);
  }
  return null;
}

/** Active swap areas from /proc/swaps: device and size in KiB. */
export function parseSwaps(lines: readonly string[]): { device: string; sizeKb: number }[] {
  return lines
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 3 && /^\d+$/.test(c[2]!))
    .map((c) => ({ device: c[0]!, sizeKb: Number(c[2]) }));
}

/** Uncommented fstab entries whose type (3rd field) is swap. */
export function fstabSwapLines(lines: readonly string[]): string[] {
  return lines.filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('#') && t.split(/\s+/)[2] === 'swap';
  });
}

/** `df -P -k a b` prints one line per argument, in argument order, after the header. */
export function parseDf(lines: readonly string[], paths: readonly string[]): DiskFree[] {
  const rows = lines.filter((l) => l.trim() !== '' && !l.startsWith('Filesystem'));
  return rows.flatMap((l, i) => {
    const c = l.trim().split(/\s+/);
    const path = paths[i];
    if (path === undefined || c.length < 6 || !/^\d+$/.test(c[3]!)) return [];
    return [{ path, mount: c.slice(5).join(' '), availKb: Number(c[3]) }];
  });
}

function firewallState(value: string | undefined, activeWord: RegExp): FirewallState {
  if (value === undefined) return 'absent';
  return activeWord.test(value) ? 'active' : 'inactive';
}

export function parseFirewall(lines: readonly string[]): HostFacts['firewall'] {
  const fw = new Map(lines.map((l) => l.split('\t') as [string, string | undefined]));
  return { ufw: firewallState(fw.get('ufw'), /^Status: active/), firewalld: firewallState(fw.get('firewalld'), /^active$/) };
}

export function parseFacts(text: string): HostFacts {
  const s = splitSections(text);
  const sec = (name: string) => s.get(name) ?? [];
  if (!s.has('end')) throw new Error('host facts output is incomplete (no @@end marker)');
  const nproc = Number(sec('nproc')[0]?.trim());
  const swaps = parseSwaps(sec('swaps'));
  const listen = sec('listen');
  const processes = new Map<number, ProcessInfo>();
  for (const line of sec('processes')) {
    const [pid, comm = '', cgroup = ''] = line.split('\t');
    if (pid && /^\d+$/.test(pid)) processes.set(Number(pid), { comm, cgroup });
  }
  const commands: Record<string, string | null> = Object.fromEntries(REQUIRED_COMMANDS.map((c) => [c, null]));
  for (const line of sec('commands')) {
    const [name, path] = line.split('\t');
    if (name && path && name in commands) commands[name] = path;
  }

  return {
    os: parseOsRelease(sec('os').join('\n')),
    cpus: Number.isInteger(nproc) && nproc > 0 ? nproc : null,
    memTotalKb: parseMeminfo(sec('meminfo'), 'MemTotal'),
    swapActiveKb: swaps.reduce((n, x) => n + x.sizeKb, 0),
    swapDevices: swaps.map((x) => x.device),
    fstabSwapLines: fstabSwapLines(sec('fstab')),
    hostname: (sec('hostname')[0] ?? '').trim(),
    listeners: listen.some((l) => l.trim() === '!no-ss') ? null : parseSsListeners(listen),
    processes,
    commands,
    disks: parseDf(sec('df'), DISK_PATHS),
    firewall: parseFirewall(sec('firewall')),
  };
}
