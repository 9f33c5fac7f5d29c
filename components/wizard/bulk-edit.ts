import type { Role } from '@/server/contracts/cluster-spec';
import { parseLabels, type HostRow } from './form-model';

/** What the bulk bar sets on every selected row; fields left undefined stay as they are. */
export type BulkChange =
  | { kind: 'user'; user: string }
  | { kind: 'credentials'; useDefaults: boolean; authType?: HostRow['authType'] }
  | { kind: 'role'; role: Role; on: boolean }
  | { kind: 'label'; label: string; on: boolean };

function labelsWith(labels: string, add: string, on: boolean): string {
  const current = parseLabels(labels);
  const given = parseLabels(add);
  for (const [k, v] of Object.entries(given)) {
    if (on) current[k] = v;
    else delete current[k];
  }
  return Object.entries(current).map(([k, v]) => (v ? `${k}=${v}` : k)).join(', ');
}

function changed(h: HostRow, c: BulkChange): HostRow {
  switch (c.kind) {
    case 'user':
      return { ...h, user: c.user.trim() };
    case 'credentials':
      return c.useDefaults ? { ...h, useDefaults: true } : { ...h, useDefaults: false, authType: c.authType ?? h.authType };
    case 'role': {
      const has = h.roles.includes(c.role);
      if (has === c.on) return h;
      return { ...h, roles: c.on ? [...h.roles, c.role] : h.roles.filter((r) => r !== c.role) };
    }
    case 'label':
      return { ...h, labels: labelsWith(h.labels, c.label, c.on) };
  }
}

/** Rows not selected keep their identity, so memoized rows do not re-render. */
export function applyBulk(hosts: readonly HostRow[], selected: ReadonlySet<string>, change: BulkChange): HostRow[] {
  return hosts.map((h) => (selected.has(h.key) ? changed(h, change) : h));
}

/** Shift-click selection: every key between the last clicked row and this one takes this row's new state. */
export function selectRange(keys: readonly string[], selected: ReadonlySet<string>, from: string | null, to: string, on: boolean): Set<string> {
  const out = new Set(selected);
  const a = from === null ? -1 : keys.indexOf(from);
  const b = keys.indexOf(to);
  const [lo, hi] = a === -1 ? [b, b] : [Math.min(a, b), Math.max(a, b)];
  for (let i = lo; i <= hi; i++) {
    const k = keys[i];
    if (k === undefined) continue;
    if (on) out.add(k);
    else out.delete(k);
  }
  return out;
}
