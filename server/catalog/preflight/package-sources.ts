import { sh } from '../../connectors/shell-quote';
import type { KxContext, KxStep } from '../common/types';
import { osFamily } from '../common/os-release';
import { missingPackages } from '../system/steps';
import { recordCheck } from './report';
import type { CheckResult } from './report';
import { recordOrFail } from './steps';

export type SourceProbe = { uri: string; usable: boolean; why: string };
export type PackageFacts = { family: 'debian' | 'rhel' | 'other'; missing: string[]; sources: SourceProbe[] };

// the URIs of enabled apt lines (one-line and deb822) or yum/dnf repos; nothing is fetched
const LIST_SOURCES = String.raw`. /etc/os-release 2>/dev/null; printf 'id %s %s\n' "$ID" "$ID_LIKE"
if command -v apt-get >/dev/null 2>&1; then
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/uri \2/p'
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*/uri /p'
else
  cat /etc/yum.repos.d/*.repo 2>/dev/null | sed -n 's/^\(baseurl\|mirrorlist\|metalink\)[[:space:]]*=[[:space:]]*\([^[:space:]]\+\).*/uri \2/p'
fi`;

/** The host's package sources, each probed: file: must exist, a network source must accept a TCP connection within 3 s. */
async function probe(ctx: KxContext, debs: readonly string[], rpms: readonly string[]): Promise<PackageFacts> {
  const listed = (await ctx.exec(LIST_SOURCES, { sudo: true, quiet: true })).stdout.split('\n');
  const ids = (listed.find((l) => l.startsWith('id '))?.slice(3) ?? '').split(/\s+/);
  const family = osFamily({ id: ids[0] ?? '', idLike: ids.slice(1) });
  const missing = await missingPackages(ctx, family, family === 'debian' ? debs : family === 'rhel' ? rpms : []);
  const uris = [...new Set(listed.filter((l) => l.startsWith('uri ')).flatMap((l) => l.slice(4).trim().split(/\s+/)))];
  const sources: SourceProbe[] = [];
  for (const uri of missing.length ? uris : []) {
    let u: URL;
    try {
      u = new URL(uri);
    } catch {
      sources.push({ uri, usable: false, why: 'not a URL' });
      continue;
    }
    if (u.protocol === 'file:' || u.protocol === 'cdrom:') {
      const ok = (await ctx.exec(sh`test -d ${decodeURIComponent(u.pathname)}`, { sudo: true, quiet: true })).exitCode === 0;
      sources.push({ uri, usable: ok, why: ok ? 'local directory' : 'directory not found' });
      continue;
    }
    const port = u.port || ({ 'http:': '80', 'https:': '443', 'ftp:': '21' } as Record<string, string>)[u.protocol] || '80';
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const tcp = await ctx.exec(sh`getent hosts ${host} >/dev/null || exit 3; timeout 3 bash -c ${`exec 3<>/dev/tcp/${host}/${port}`}`, { quiet: true });
    sources.push({ uri, usable: tcp.exitCode === 0, why: tcp.exitCode === 0 ? 'reachable' : tcp.exitCode === 3 ? `${host}: no address` : `cannot connect to ${host}:${port}` });
  }
  return { family, missing, sources };
}

/** Refused up front: packages to install and no package source the host can use (offline, no local repository). */
export function evaluatePackageSources(f: PackageFacts): CheckResult {
  const base = { check: 'packages' as const };
  const expected = 'the packages installed, or a package source the host can reach (a file: repository or a reachable mirror)';
  if (f.missing.length === 0) return { ...base, status: 'passed', measured: 'system.debs/rpms already installed', expected };
  if (f.family === 'other') return { ...base, status: 'failed', measured: `no apt or dnf/yum to install ${f.missing.join(' ')}`, expected };
  const usable = f.sources.filter((s) => s.usable);
  if (usable.length > 0) return { ...base, status: 'passed', measured: `${f.missing.join(' ')} to install from ${usable.map((s) => s.uri).join(', ')}`, expected };
  const tried = f.sources.length ? f.sources.map((s) => `${s.uri} (${s.why})`).join(', ') : 'none configured';
  return { ...base, status: 'failed', measured: `${f.missing.join(' ')} to install, but no package source can be used: ${tried}`, expected };
}

export function packageSourcesStep(debs: readonly string[], rpms: readonly string[]): KxStep {
  return {
    name: 'Check package sources (system.debs / system.rpms)',
    check: async () => false,
    run: async (ctx) => {
      let facts: PackageFacts;
      try {
        facts = await probe(ctx, debs, rpms);
      } catch (err) {
        recordCheck(ctx, { check: 'packages', status: 'failed', measured: `error: ${(err as Error).message}`, expected: 'readable package sources' });
        throw err;
      }
      ctx.log(facts.sources.map((s) => `${s.uri}: ${s.why}`).join('\n') || 'no source probed');
      recordOrFail(ctx, evaluatePackageSources(facts));
    },
  };
}
