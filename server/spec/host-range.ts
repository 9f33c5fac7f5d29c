export const MAX_RANGE = 1000;

/** Expands KubeKey's "node[2:10]" (also "node[02:10]" zero-padded and a suffix after "]"); plain names pass through. */
export function expandHostRange(entry: string): { ok: true; names: string[] } | { ok: false; message: string } {
  if (!entry.includes('[') && !entry.includes(']')) return { ok: true, names: [entry] };
  const m = /^([^[\]]*)\[(\d{1,6}):(\d{1,6})\]([^[\]]*)$/.exec(entry);
  if (!m) return { ok: false, message: `bad host range "${entry}": expected name[start:end], e.g. node[2:10]` };
  const [, prefix = '', a = '', b = '', suffix = ''] = m;
  const start = Number(a);
  const end = Number(b);
  if (start > end) return { ok: false, message: `bad host range "${entry}": start is after end` };
  if (end - start + 1 > MAX_RANGE) return { ok: false, message: `host range "${entry}" has more than ${MAX_RANGE} names` };
  const width = a.length > 1 && a.startsWith('0') ? a.length : 0;
  return { ok: true, names: Array.from({ length: end - start + 1 }, (_, i) => `${prefix}${String(start + i).padStart(width, '0')}${suffix}`) };
}

/** "a1…a3, a7" for names in the order given: consecutive members of `all` collapse into first…last. */
export function compactNames(all: readonly string[], some: readonly string[], max = 6): string {
  const at = new Map(all.map((n, i) => [n, i] as const));
  const runs: string[][] = [];
  for (const n of some) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    if (last && prev !== undefined && at.get(n) === (at.get(prev) ?? -2) + 1) last.push(n);
    else runs.push([n]);
  }
  const parts = runs.map((r) => (r.length > 2 ? `${r[0]}…${r.at(-1)}` : r.join(', ')));
  return parts.length > max ? `${parts.slice(0, max).join(', ')} and ${parts.length - max} more` : parts.join(', ');
}

/** One error per range entry, never one per name: `node[10:100]: 91 hosts not in spec.hosts: node10…node100`. */
export function missingHostsMessage(entry: string, names: readonly string[], missing: readonly string[]): string {
  if (names.length === 1) return `no host named "${entry}" in spec.hosts`;
  return `${entry}: ${missing.length} host${missing.length === 1 ? '' : 's'} not in spec.hosts: ${compactNames(names, missing)}`;
}
