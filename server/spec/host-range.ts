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
