import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import type { ClusterSpec, KxContext } from '../common';
import { etcdMembers } from '../pki/etcd-pki';
import { clientEndpoints, clientUrl, ETCD_PATHS, etcdctlArgs } from './render';

export const ETCDCTL = `${ETCD_PATHS.bin}/etcdctl`;

export type MemberInfo = { name: string; peerUrls: string[]; clientUrls: string[] };
export type SnapshotStatus = { hash: number; revision: number; totalKeys: number; totalSize: number };

/** Parses `etcdctl endpoint health` lines ("<url> is healthy: ..." / "<url> is unhealthy: ..."): url → healthy. */
export function parseEndpointHealth(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of text.matchAll(/^(\S+) is (healthy|unhealthy)\b/gm)) out.set(m[1]!, m[2] === 'healthy');
  return out;
}

export function parseMemberList(json: string): MemberInfo[] {
  const data = JSON.parse(json) as { members?: Array<{ name?: string; peerURLs?: string[]; clientURLs?: string[] }> };
  return (data.members ?? []).map((m) => ({ name: m.name ?? '', peerUrls: m.peerURLs ?? [], clientUrls: m.clientURLs ?? [] }));
}

export function parseSnapshotStatus(json: string): SnapshotStatus {
  const d = JSON.parse(json) as { hash?: unknown; revision?: unknown; totalKey?: unknown; totalSize?: unknown };
  const num = (v: unknown, what: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`snapshot status has no valid ${what}`);
    return v;
  };
  return { hash: num(d.hash, 'hash'), revision: num(d.revision, 'revision'), totalKeys: num(d.totalKey, 'totalKey'), totalSize: num(d.totalSize, 'totalSize') };
}

/** Health of every member's client endpoint, asked from this host (each endpoint does a quorum read). */
export async function membersHealth(ctx: KxContext, spec: ClusterSpec = ctx.runtime.spec): Promise<Map<string, boolean>> {
  const res = await ctx.exec(sh`${etcdctlArgs(clientEndpoints(spec), { dialTimeout: '2s', commandTimeout: '4s' })} endpoint health`, { sudo: true, quiet: true });
  const byUrl = parseEndpointHealth(`${res.stdout}\n${res.stderr}`);
  return new Map(etcdMembers(spec).map((m) => [m.name, byUrl.get(clientUrl(m)) === true]));
}

/** This host's member first, then the others in spec order: the first healthy one. */
export async function healthyEndpoint(ctx: KxContext): Promise<{ name: string; url: string }> {
  const health = await membersHealth(ctx);
  const members = etcdMembers(ctx.runtime.spec);
  const ordered = [...members.filter((m) => m.name === ctx.host.name), ...members.filter((m) => m.name !== ctx.host.name)];
  const pick = ordered.find((m) => health.get(m.name));
  if (!pick) throw new StepError('command', `no etcd member is healthy (${[...health].map(([n, ok]) => `${n}: ${ok ? 'healthy' : 'unhealthy'}`).join(', ')})`);
  return { name: pick.name, url: clientUrl(pick) };
}

export async function memberList(ctx: KxContext, endpoint: string): Promise<MemberInfo[]> {
  const res = await ctx.run(sh`${etcdctlArgs([endpoint])} member list -w json`, { sudo: true, quiet: true, label: 'etcdctl member list' });
  return parseMemberList(res.stdout);
}

export async function snapshotStatus(ctx: KxContext, file: string): Promise<SnapshotStatus> {
  const res = await ctx.run(sh`${ETCDCTL} snapshot status -w json ${file}`, { sudo: true, quiet: true, label: `etcdctl snapshot status ${file}` });
  try {
    return parseSnapshotStatus(res.stdout);
  } catch (err) {
    throw new StepError('command', `the snapshot ${file} does not verify: ${(err as Error).message}`);
  }
}
