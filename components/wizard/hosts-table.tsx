'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { Role } from '@/server/contracts/cluster-spec';
import { ROLES } from '@/server/contracts/spec-host';
import type { Errors } from './field';
import type { HostRow } from './form-model';
import { HostStatus } from './host-status';
import type { ProbeState } from './use-host-probes';

const ROW_H = 40;
// selection is handled on click, where shift-click (a range) can be told apart
const noop = () => undefined;
const CELL = 'w-full min-w-0 rounded border bg-transparent px-1.5 py-1 text-sm focus-visible:outline-2 focus-visible:outline-brand';
const ok = 'border-zinc-300 dark:border-zinc-700';
const bad = 'border-status-failed';
const ROLE_SHORT: Record<Role, string> = { etcd: 'E', 'control-plane': 'C', worker: 'W' };
const COLS = ['name', 'address', 'port', 'user', 'labels'] as const;
type Col = (typeof COLS)[number];

export type RowActions = {
  change: (key: string, patch: Partial<HostRow>) => void;
  toggleSelect: (key: string, on: boolean, range: boolean) => void;
  selectAll: (on: boolean) => void;
  test: (key: string) => void;
  accept: (key: string, fingerprint: string) => void;
  open: (key: string) => void;
  show: (key: string) => void;
  remove: (key: string) => void;
};

type Props = {
  hosts: readonly HostRow[];
  selected: ReadonlySet<string>;
  probes: Readonly<Record<string, ProbeState>>;
  errors: Errors;
  defaultUser: string;
  openKey: string | null;
  actions: RowActions;
  /** a field path to bring into view and focus (hosts.N.field) */
  reveal: { path: string; n: number } | null;
};

function rowErrors(errors: Errors, i: number): string {
  const prefix = `hosts.${i}.`;
  const out: string[] = [];
  for (const [p, m] of errors) if (p.startsWith(prefix)) out.push(`${p.slice(prefix.length)}: ${m}`);
  return out.join('\n');
}

export function HostsTable({ hosts, selected, probes, errors, defaultUser, openKey, actions, reveal }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: hosts.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 12 });
  const focusCell = useCallback((row: number, col: string) => {
    if (row < 0 || row >= hosts.length) return;
    v.scrollToIndex(row, { align: 'auto' });
    const tryFocus = (n: number) => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${row}"][data-col="${col}"]`);
      if (el) el.focus();
      else if (n > 0) requestAnimationFrame(() => tryFocus(n - 1));
    };
    requestAnimationFrame(() => tryFocus(5));
  }, [v, hosts.length]);

  useEffect(() => {
    if (!reveal) return;
    const m = /^hosts\.(\d+)(?:\.(.+))?$/.exec(reveal.path);
    if (!m) return;
    const field = m[2] ?? 'name';
    focusCell(Number(m[1]), (COLS as readonly string[]).includes(field) ? field : 'name');
  }, [reveal, focusCell]);

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Enter') return;
    const row = Number(e.currentTarget.dataset.row);
    const col = e.currentTarget.dataset.col ?? 'name';
    e.preventDefault();
    focusCell(row + (e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) ? -1 : 1), col);
  }, [focusCell]);

  const items = v.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = v.getTotalSize() - (items.at(-1)?.end ?? 0);
  const allSelected = hosts.length > 0 && hosts.every((h) => selected.has(h.key));
  return (
    <div ref={scrollRef} data-testid="hosts-table" className="max-h-[60vh] overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table aria-label="Hosts" aria-rowcount={hosts.length + 1} className="w-full table-fixed border-collapse text-sm">
        <colgroup>
          <col className="w-9" /><col className="w-10" /><col className="w-36" /><col className="w-36" /><col className="w-16" /><col className="w-28" />
          <col className="w-32" /><col className="w-24" /><col className="w-40" /><col className="w-56" /><col className="w-28" />
        </colgroup>
        <thead className="sticky top-0 z-10 bg-zinc-50 text-left text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-300">
          <tr aria-rowindex={1}>
            <th className="px-2 py-1.5"><input type="checkbox" aria-label="Select all hosts" checked={allSelected} onChange={(e) => actions.selectAll(e.target.checked)} /></th>
            <th>#</th><th>Name</th><th>Address</th><th>Port</th><th>User</th><th>Credentials</th>
            <th><abbr title="etcd, control-plane, worker">Roles E C W</abbr></th><th>Labels</th><th>Connection</th><th><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {top > 0 ? <tr aria-hidden="true" style={{ height: top }} /> : null}
          {items.map((it) => {
            const h = hosts[it.index]!;
            return (
              <HostTableRow key={h.key} index={it.index} host={h} selected={selected.has(h.key)} probe={probes[h.key]} errs={rowErrors(errors, it.index)}
                defaultUser={defaultUser} open={openKey === h.key} actions={actions} onKeyDown={onKeyDown} />
            );
          })}
          {bottom > 0 ? <tr aria-hidden="true" style={{ height: bottom }} /> : null}
        </tbody>
      </table>
    </div>
  );
}

type RowProps = {
  index: number; host: HostRow; selected: boolean; probe: ProbeState | undefined; errs: string; defaultUser: string; open: boolean;
  actions: RowActions; onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
};

const HostTableRow = memo(function HostTableRow({ index: i, host: h, selected, probe, errs, defaultUser, open, actions, onKeyDown }: RowProps) {
  const who = `host ${i + 1}${h.name ? ` (${h.name})` : ''}`;
  const has = (f: string) => errs.split('\n').some((l) => l.startsWith(`${f}:`) || l.startsWith(`${f}.`));
  const cell = (col: Col, label: string, extra: { placeholder?: string; inputMode?: 'numeric' } = {}) => (
    <input name={`hosts.${i}.${col}`} data-row={i} data-col={col} aria-label={`${label} of ${who}`} aria-invalid={has(col)} value={h[col]} autoComplete="off" spellCheck={false}
      onChange={(e) => actions.change(h.key, { [col]: e.target.value })} onKeyDown={onKeyDown} className={`${CELL} ${has(col) ? bad : ok}`} {...extra} />
  );
  const credErr = has('auth') || has('sudoPassword');
  return (
    <tr aria-rowindex={i + 2} data-testid={`host-row-${i}`} data-pinned={h.hostKeyFingerprint || undefined} aria-selected={selected} style={{ height: ROW_H }}
      className={`border-t border-zinc-100 dark:border-zinc-800/70 ${selected ? 'bg-brand/10' : ''}`}>
      <td className="px-2"><input type="checkbox" aria-label={`Select ${who}`} checked={selected} onChange={noop}
        onClick={(e) => actions.toggleSelect(h.key, e.currentTarget.checked, e.shiftKey)} /></td>
      <td className="text-xs text-zinc-600 dark:text-zinc-400">{i + 1}</td>
      <td className="pr-1">{cell('name', 'Name')}</td>
      <td className="pr-1">{cell('address', 'Address')}</td>
      <td className="pr-1">{cell('port', 'SSH port', { inputMode: 'numeric' })}</td>
      <td className="pr-1">{cell('user', 'User', { placeholder: defaultUser })}</td>
      <td className="pr-1">
        <select name={`hosts.${i}.auth.type`} aria-label={`Credentials of ${who}`} aria-invalid={credErr} value={h.useDefaults ? 'default' : h.authType}
          onChange={(e) => { const v = e.target.value; actions.change(h.key, v === 'default' ? { useDefaults: true } : { useDefaults: false, authType: v as HostRow['authType'] }); if (v !== 'default') actions.show(h.key); }}
          className={`${CELL} ${credErr ? bad : ok} dark:bg-zinc-900`}>
          <option value="default">default</option><option value="key">own key</option><option value="password">own password</option>
        </select>
      </td>
      <td className="whitespace-nowrap">
        {ROLES.map((r) => (
          <input key={r} type="checkbox" className="mr-1.5" aria-label={`${r} on ${who}`} title={r} checked={h.roles.includes(r)}
            onChange={(e) => actions.change(h.key, { roles: e.target.checked ? [...h.roles, r] : h.roles.filter((x) => x !== r) })} data-role-short={ROLE_SHORT[r]} />
        ))}
      </td>
      <td className="pr-1">{cell('labels', 'Labels')}</td>
      <td className="pr-1"><HostStatus index={i} probe={probe} pinned={h.hostKeyFingerprint} errors={errs} onAccept={(fp) => actions.accept(h.key, fp)} /></td>
      <td className="whitespace-nowrap text-right">
        <button type="button" className="rounded px-1.5 py-1 text-xs hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800" disabled={probe === 'probing' || !h.address} onClick={() => actions.test(h.key)}
          aria-label={`Test connection to ${who}`}>Test</button>
        <button type="button" className="rounded px-1.5 py-1 text-xs hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-expanded={open} onClick={() => actions.open(h.key)} aria-label={`Details of ${who}`}>More</button>
        <button type="button" className="rounded px-1.5 py-1 text-xs hover:bg-zinc-100 dark:hover:bg-zinc-800" onClick={() => actions.remove(h.key)} aria-label={`Remove ${who}`}>✕</button>
      </td>
    </tr>
  );
});
