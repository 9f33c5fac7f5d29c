import { cacheKey, type ClusterRuntime, type RunCache } from '../../engine';
import type { KxContext } from '../common/types';

export const CHECK_TITLES = {
  os: 'OS',
  cpu: 'CPU cores',
  memory: 'Memory',
  swap: 'Swap',
  firewall: 'Firewall',
  ports: 'Ports',
  hostname: 'Hostname',
  'time-skew': 'Clock skew',
  commands: 'Commands',
  disk: 'Disk space',
  packages: 'Package sources',
  ipvs: 'IPVS modules',
} as const;
export type CheckId = keyof typeof CHECK_TITLES;
export const CHECK_ORDER = Object.keys(CHECK_TITLES) as CheckId[];

type ChecksSpec = { system?: { debs: readonly string[]; rpms: readonly string[] } | undefined; kubernetes?: { proxyMode?: string | undefined } };

/** Package sources are checked only when the spec asks for packages (system.debs/rpms); the report expects exactly what ran. */
export const checksPackages = (spec: ChecksSpec): boolean => !!spec.system && (spec.system.debs.length > 0 || spec.system.rpms.length > 0);
/** The IPVS modules only when kube-proxy runs in ipvs mode. */
export const checksIpvs = (spec: ChecksSpec): boolean => spec.kubernetes?.proxyMode === 'ipvs';
export const expectedChecks = (spec: ChecksSpec): CheckId[] =>
  CHECK_ORDER.filter((c) => (c !== 'packages' || checksPackages(spec)) && (c !== 'ipvs' || checksIpvs(spec)));

export type CheckStatus = 'passed' | 'warning' | 'failed';
export type CheckResult = { check: CheckId; status: CheckStatus; measured: string; expected: string };
export type PreflightRow = CheckResult & { host: string; title: string };

const REPORT_KEY = cacheKey<Map<string, Map<CheckId, CheckResult>>>('preflight:report');

function store(cache: RunCache): Map<string, Map<CheckId, CheckResult>> {
  return cache.ensure(REPORT_KEY, () => new Map());
}

export function describeResult(r: CheckResult): string {
  return `${CHECK_TITLES[r.check]}: ${r.status.toUpperCase()} — ${r.measured} (expected ${r.expected})`;
}

const TITLE_TO_CHECK = new Map(Object.entries(CHECK_TITLES).map(([id, title]) => [title as string, id as CheckId]));
const LOGGED = /^preflight (.+?): (PASSED|WARNING|FAILED) — (.*) \(expected (.*)\)\s*$/s;

/** The inverse of the line recordCheck logs, so a stored run log yields the report again; null for any other line. */
export function parseLoggedResult(line: string): CheckResult | null {
  const m = LOGGED.exec(line);
  const check = m ? TITLE_TO_CHECK.get(m[1]!) : undefined;
  if (!m || !check) return null;
  return { check, status: m[2]!.toLowerCase() as CheckStatus, measured: m[3]!, expected: m[4]! };
}

/** Stores the result for the report (a rerun of the same check replaces it) and logs it as one line. */
export function recordCheck(ctx: KxContext, result: CheckResult): CheckResult {
  const byHost = store(ctx.runtime.cache);
  let rows = byHost.get(ctx.host.name);
  if (!rows) byHost.set(ctx.host.name, (rows = new Map()));
  rows.set(result.check, result);
  ctx.log(`preflight ${describeResult(result)}`);
  return result;
}

/** Every recorded check, hosts in runtime order, checks in CHECK_ORDER. */
export function collectPreflightReport(runtime: Pick<ClusterRuntime, 'cache' | 'hosts'>): PreflightRow[] {
  const byHost = store(runtime.cache);
  const rows: PreflightRow[] = [];
  const names = [...runtime.hosts.map((h) => h.name), ...[...byHost.keys()].filter((n) => !runtime.hosts.some((h) => h.name === n))];
  for (const host of names) {
    const results = byHost.get(host);
    if (!results) continue;
    for (const check of CHECK_ORDER) {
      const r = results.get(check);
      if (r) rows.push({ host, title: CHECK_TITLES[check], ...r });
    }
  }
  return rows;
}

const HEADERS = ['HOST', 'CHECK', 'STATUS', 'MEASURED', 'EXPECTED'] as const;

/** A fixed-width text table (one line per row) for logs and the CLI. */
export function renderReportTable(rows: readonly PreflightRow[]): string {
  const cells = rows.map((r) => [r.host, r.title, r.status, r.measured, r.expected]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(HEADERS), ...cells.map(line)].join('\n') + '\n';
}
