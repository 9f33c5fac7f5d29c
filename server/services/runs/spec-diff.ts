import type { SpecChange } from '../../contracts/run-api';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// arrays of named entries (hosts, registries) are keyed by name, so one added host is one change, not a shifted list
function keyOf(item: Json, index: number): string {
  return item && typeof item === 'object' && !Array.isArray(item) && typeof item.name === 'string' ? `[${item.name}]` : `[${index}]`;
}

function flatten(value: Json, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    value.forEach((v, i) => flatten(v, `${path}${keyOf(v, i)}`, out));
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(path, '{}');
    for (const k of keys) flatten(value[k]!, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
}

/** Leaf-by-leaf differences of two spec snapshots, in path order. Snapshots hold no secrets (only { set: true }). */
export function specDiff(a: unknown, b: unknown): SpecChange[] {
  const fa = new Map<string, string>();
  const fb = new Map<string, string>();
  flatten((a ?? null) as Json, '', fa);
  flatten((b ?? null) as Json, '', fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths.filter((p) => fa.get(p) !== fb.get(p)).map((p) => ({ path: p || '(spec)', a: fa.get(p) ?? null, b: fb.get(p) ?? null }));
}
