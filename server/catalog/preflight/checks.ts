import type { ClusterSpec } from '../../contracts/cluster-spec';
import { RFC1123_LABEL } from '../../contracts/spec-fields';
import { commandRequired, packageFor } from '../common/os-packages';
import type { OsRelease } from '../common/os-release';
import type { ClockSample, HostFacts } from './facts';
import type { CheckResult } from './report';

export { DEFAULT_PORTS, PORT_OWNERS, evaluatePorts, requiredPorts } from './ports';

export const SUPPORTED_OS: Readonly<Record<string, readonly string[]>> = {
  ubuntu: ['20.04', '22.04', '24.04'],
  debian: ['11', '12'],
  centos: ['8', '9'],
  rocky: ['8', '9'],
  almalinux: ['8', '9'],
};
const RHEL_IDS = new Set(['centos', 'rocky', 'almalinux']);
const GIB_KB = 1024 * 1024;
/** MemTotal leaves out what the kernel reserves, so a machine sold as 2 GiB shows ~1.9: warn, do not fail, within 10 %. */
const MEMORY_TOLERANCE = 0.9;

const supportedText = Object.entries(SUPPORTED_OS).map(([id, v]) => `${id} ${v.join('/')}`).join(', ');

export function evaluateOs(os: OsRelease): CheckResult {
  const measured = `${os.prettyName} (${os.id} ${os.versionId || 'no VERSION_ID'})`;
  const versions = SUPPORTED_OS[os.id];
  const version = RHEL_IDS.has(os.id) ? os.versionId.split('.')[0]! : os.versionId;
  if (versions?.includes(version)) return { check: 'os', status: 'passed', measured, expected: supportedText };
  const like = os.idLike.find((i) => SUPPORTED_OS[i]);
  if (!versions && like) return { check: 'os', status: 'warning', measured: `${measured}, like ${like}`, expected: supportedText };
  return { check: 'os', status: 'failed', measured, expected: supportedText };
}

const isControlPlane = (roles: readonly string[]) => roles.includes('control-plane');

export function evaluateCpu(cpus: number | null, roles: readonly string[], prefs: ClusterSpec['preflight']): CheckResult {
  const min = isControlPlane(roles) ? prefs.minCpuControlPlane : prefs.minCpuWorker;
  const expected = `>= ${min} (${isControlPlane(roles) ? 'control-plane' : 'worker'})`;
  if (cpus === null) return { check: 'cpu', status: 'failed', measured: 'unknown (nproc gave nothing)', expected };
  return { check: 'cpu', status: cpus >= min ? 'passed' : 'failed', measured: String(cpus), expected };
}

export const formatGiB = (kb: number) => `${(kb / GIB_KB).toFixed(2)} GiB`;

export function evaluateMemory(memTotalKb: number | null, roles: readonly string[], prefs: ClusterSpec['preflight']): CheckResult {
  const minMb = isControlPlane(roles) ? prefs.minMemControlPlaneMb : prefs.minMemWorkerMb;
  const expected = `>= ${minMb} MiB (${isControlPlane(roles) ? 'control-plane' : 'worker'})`;
  if (memTotalKb === null) return { check: 'memory', status: 'failed', measured: 'unknown (no MemTotal in /proc/meminfo)', expected };
  const measured = `${Math.floor(memTotalKb / 1024)} MiB (${formatGiB(memTotalKb)})`;
  const minKb = minMb * 1024;
  const status = memTotalKb >= minKb ? 'passed' : memTotalKb >= minKb * MEMORY_TOLERANCE ? 'warning' : 'failed';
  return { check: 'memory', status, measured, expected };
}

export function describeSwap(f: Pick<HostFacts, 'swapActiveKb' | 'swapDevices' | 'fstabSwapLines'>): string {
  const parts = [
    f.swapDevices.length ? `${f.swapDevices.length} active (${Math.round(f.swapActiveKb / 1024)} MiB: ${f.swapDevices.join(', ')})` : 'none active',
    f.fstabSwapLines.length ? `${f.fstabSwapLines.length} swap line(s) in /etc/fstab` : 'none in /etc/fstab',
  ];
  return parts.join(', ');
}

export const swapIsOff = (f: Pick<HostFacts, 'swapDevices' | 'fstabSwapLines'>) => f.swapDevices.length === 0 && f.fstabSwapLines.length === 0;

/** Lowercase RFC 1123: each dot-separated label a-z0-9 and '-', the whole name at most 253 characters. */
export function isRfc1123Hostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => RFC1123_LABEL.test(l));
}

export function evaluateHostname(host: string, hostnames: ReadonlyMap<string, string>): CheckResult {
  const expected = 'lowercase RFC 1123, unique in the cluster';
  const mine = hostnames.get(host) ?? '';
  if (!isRfc1123Hostname(mine)) return { check: 'hostname', status: 'failed', measured: `${JSON.stringify(mine)} is not a lowercase RFC 1123 name`, expected };
  const same = [...hostnames].filter(([h, n]) => h !== host && n.toLowerCase() === mine.toLowerCase()).map(([h]) => h);
  if (same.length) return { check: 'hostname', status: 'failed', measured: `${mine}, also the hostname of ${same.join(', ')}`, expected };
  return { check: 'hostname', status: 'passed', measured: mine, expected };
}

/** The sample with the smallest round trip bounds the offset best (NTP's rule); |offset| minus half that round trip must fit. */
export function evaluateClock(samples: readonly ClockSample[], maxSkewSeconds: number): CheckResult {
  const expected = `|skew| <= ${maxSkewSeconds} s against the kubexms host`;
  const best = [...samples].sort((a, b) => a.rttMs - b.rttMs)[0];
  if (!best) return { check: 'time-skew', status: 'failed', measured: 'no sample (date +%s.%N gave nothing)', expected };
  const measured = `${(best.offsetMs / 1000).toFixed(3)} s (±${(best.rttMs / 2000).toFixed(3)} s)`;
  const skew = Math.max(0, Math.abs(best.offsetMs) - best.rttMs / 2) / 1000;
  return { check: 'time-skew', status: skew <= maxSkewSeconds ? 'passed' : 'failed', measured, expected };
}

export function evaluateCommands(commands: Readonly<Record<string, string | null>>, os: Pick<OsRelease, 'id' | 'idLike'>): CheckResult {
  const names = Object.keys(commands);
  const expected = `${names.join(', ')} on PATH (ebtables optional)`;
  const missing = names.filter((c) => commands[c] == null);
  if (missing.length === 0) return { check: 'commands', status: 'passed', measured: 'all present', expected };
  const measured = `missing: ${missing.map((c) => `${c} (${packageFor(c, os)})`).join(', ')}`;
  const status = missing.some((c) => commandRequired(c)) ? 'failed' : 'warning';
  return { check: 'commands', status, measured, expected };
}

export function evaluateDisk(disks: HostFacts['disks'], minGb: number): CheckResult {
  const expected = `>= ${minGb} GiB free on / and /var/lib`;
  if (disks.length === 0) return { check: 'disk', status: 'failed', measured: 'unknown (df gave nothing)', expected };
  const measured = disks.map((d) => `${d.path}: ${formatGiB(d.availKb)} free`).join(', ');
  const low = disks.some((d) => d.availKb < minGb * GIB_KB);
  return { check: 'disk', status: low ? 'failed' : 'passed', measured, expected };
}
