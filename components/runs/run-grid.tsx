'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { RunPlan } from '@/server/contracts/run-types';
import { CELL_BG, StatusIcon, statusLook } from '@/components/ui/status';
import { formatDuration } from '@/components/ui/format';
import { cellKey, gridRows, type GridCell, type GridRow, type NodeStatuses } from './grid-model';

const NAME_W = 280;
const COL_W = 92;
const MAX_COL_W = 168;
const ROW_H = 30;
const HEADER_H = 34;

type Props = {
  plan: RunPlan;
  cells: ReadonlyMap<string, GridCell>;
  nodes?: NodeStatuses;
  now: number;
  selected?: { stepId: string; host: string } | null;
  onOpenCell: (stepId: string, host: string) => void;
};

export function RunGrid({ plan, cells, nodes, now, selected, onOpenCell }: Props) {
  const rows = useMemo(() => gridRows(plan), [plan]);
  const hosts = plan.hosts;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<{ row: number; col: number } | null>(null);
  const openRef = useRef(onOpenCell);
  openRef.current = onOpenCell;
  const open = useCallback((stepId: string, host: string) => openRef.current(stepId, host), []);
  const focusAt = useCallback((row: number, col: number) => setFocus((f) => (f?.row === row && f.col === col ? f : { row, col })), []);

  const rowV = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 8, paddingStart: HEADER_H, scrollPaddingStart: HEADER_H });
  // few hosts: wider columns fill the width; many: the minimum width and horizontal scrolling
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const colW = Math.max(COL_W, Math.min(MAX_COL_W, Math.floor((width - NAME_W - 2) / Math.max(1, hosts.length))));
  const colV = useVirtualizer({ horizontal: true, count: hosts.length, getScrollElement: () => scrollRef.current, estimateSize: () => colW, overscan: 4, paddingStart: NAME_W, scrollPaddingStart: NAME_W });
  useLayoutEffect(() => colV.measure(), [colV, colW]);

  // the cell to focus once rendered; a ref, since an earlier render's effect may run after the key press
  const wantFocus = useRef<{ row: number; col: number } | null>(null);
  const focusCell = useCallback((row: number, col: number) => {
    wantFocus.current = { row, col };
    setFocus({ row, col });
    // scrolled at once (scrollToIndex reconciles over animation frames, and two virtualizers share this element)
    const el = scrollRef.current;
    const top = rowV.getOffsetForIndex(row, 'auto')?.[0];
    const left = colV.getOffsetForIndex(col, 'auto')?.[0];
    if (el && top !== undefined && Math.abs(el.scrollTop - top) > 1) el.scrollTop = top;
    if (el && left !== undefined && Math.abs(el.scrollLeft - left) > 1) el.scrollLeft = left;
  }, [rowV, colV]);

  useEffect(() => {
    const want = wantFocus.current;
    if (!want) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${want.row}:${want.col}"]`);
    if (!el) return;
    wantFocus.current = null;
    el.focus({ preventScroll: true });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!focus) return;
    const step = (dr: number) => {
      let r = focus.row + dr;
      while (r >= 0 && r < rows.length && rows[r]?.kind !== 'step') r += dr;
      return r >= 0 && r < rows.length ? r : focus.row;
    };
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusCell(step(1), focus.col),
      ArrowUp: () => focusCell(step(-1), focus.col),
      ArrowRight: () => focusCell(focus.row, Math.min(hosts.length - 1, focus.col + 1)),
      ArrowLeft: () => focusCell(focus.row, Math.max(0, focus.col - 1)),
      Home: () => focusCell(focus.row, 0),
      End: () => focusCell(focus.row, hosts.length - 1),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  };

  const totalW = colV.getTotalSize();
  const vCols = colV.getVirtualItems();

  return (
    <div ref={boxRef} className="min-w-0">
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Run steps by host"
        aria-rowcount={rows.length + 1}
        aria-colcount={hosts.length + 1}
        onKeyDown={onKeyDown}
        className="relative overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        style={{ height: `min(70vh, ${rowV.getTotalSize() + 2}px)`, width: `min(100%, ${totalW + 2}px)` }}
        data-testid="run-grid"
      >
        <div style={{ width: totalW, height: rowV.getTotalSize(), position: 'relative' }}>
          <div role="row" className="sticky top-0 z-20 bg-white/95 backdrop-blur dark:bg-zinc-950/95" style={{ height: HEADER_H, width: totalW }}>
            <div role="columnheader" className="sticky left-0 z-30 flex h-full items-center border-b border-r border-zinc-200 bg-white px-3 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950" style={{ width: NAME_W }}>
              Step \ Host ({hosts.length})
            </div>
            {vCols.map((c) => (
              <div key={c.key} role="columnheader" title={hosts[c.index]} className="absolute top-0 flex h-full items-center justify-center truncate border-b border-zinc-200 px-1 font-mono text-xs font-semibold dark:border-zinc-800" style={{ left: c.start, width: c.size }}>
                {hosts[c.index]}
              </div>
            ))}
          </div>
          {rowV.getVirtualItems().map((r) => {
            const row = rows[r.index];
            if (!row) return null;
            return (
              <div key={row.key} role="row" aria-rowindex={r.index + 2} className="absolute left-0" style={{ top: r.start, height: r.size, width: totalW }}>
                <RowHeader row={row} status={row.kind === 'step' ? undefined : nodes?.get(row.id)} />
                {row.kind === 'step' &&
                  vCols.map((c) => {
                    const host = hosts[c.index] ?? '';
                    const applies = row.hosts.has(host);
                    const cell = applies ? cells.get(cellKey(row.id, host)) : undefined;
                    return (
                      <Cell
                        key={c.key}
                        left={c.start}
                        width={c.size}
                        row={r.index}
                        col={c.index}
                        host={host}
                        step={row.name}
                        stepId={row.id}
                        applies={applies}
                        cell={cell}
                        now={cell?.status === 'running' ? now : 0}
                        selected={!!selected && selected.stepId === row.id && selected.host === host}
                        tabbable={focus ? focus.row === r.index && focus.col === c.index : r.index === firstStepRow(rows) && c.index === 0}
                        onOpen={open}
                        onFocus={focusAt}
                      />
                    );
                  })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

function firstStepRow(rows: GridRow[]): number {
  return rows.findIndex((r) => r.kind === 'step');
}

function RowHeader({ row, status }: { row: GridRow; status?: string }) {
  const base = 'sticky left-0 z-10 flex h-full items-center gap-2 truncate border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950';
  if (row.kind === 'module') {
    return (
      <div role="rowheader" className={`${base} bg-zinc-50 px-3 text-sm font-semibold dark:bg-zinc-900`} style={{ width: NAME_W }} title={row.name}>
        {status ? <StatusIcon status={status as never} /> : null}
        <span className="truncate">{row.name}</span>
      </div>
    );
  }
  if (row.kind === 'task') {
    return (
      <div role="rowheader" className={`${base} pl-5 pr-2 text-sm font-medium`} style={{ width: NAME_W }} title={row.name}>
        {status ? <StatusIcon status={status as never} /> : null}
        <span className="truncate">{row.name}</span>
        {row.hosts.size === 0 ? <span className="text-xs text-zinc-400">no hosts</span> : null}
        {row.ignoreError ? <span className="text-xs text-zinc-400">ignore errors</span> : null}
      </div>
    );
  }
  return <div role="rowheader" className={`${base} pl-9 pr-2 text-xs text-zinc-600 dark:text-zinc-400`} style={{ width: NAME_W }} title={row.name}><span className="truncate">{row.name}</span></div>;
}

type CellProps = {
  left: number; width: number; row: number; col: number; host: string; step: string; stepId: string; applies: boolean;
  cell: GridCell | undefined; now: number; selected: boolean; tabbable: boolean; onOpen: (stepId: string, host: string) => void; onFocus: (row: number, col: number) => void;
};

const Cell = memo(function Cell({ left, width, row, col, host, step, stepId, applies, cell, now, selected, tabbable, onOpen, onFocus }: CellProps) {
  const pos = { left, width, top: 2, bottom: 2 };
  if (!applies) {
    return (
      <div role="gridcell" data-cell={`${row}:${col}`} tabIndex={tabbable ? 0 : -1} onFocus={() => onFocus(row, col)} aria-label={`${step} on ${host}: not applicable`}
        className="absolute text-center text-xs leading-[26px] text-zinc-300 focus-visible:outline-2 focus-visible:outline-brand dark:text-zinc-700" style={pos}>·</div>
    );
  }
  const status = cell?.status ?? 'pending';
  const look = statusLook(status);
  const duration = cell?.startedAt ? formatDuration((cell.endedAt ?? now) - cell.startedAt) : '';
  const label = `${step} on ${host}: ${look.label}${duration ? `, ${duration}` : ''}${cell?.errorKind ? `, ${cell.errorKind} error` : ''}`;
  return (
    <button
      type="button"
      role="gridcell"
      data-cell={`${row}:${col}`}
      data-status={status}
      data-host={host}
      data-step={step}
      data-step-id={stepId}
      aria-label={label}
      aria-selected={selected}
      title={cell?.errorMessage ? `${label}\n${cell.errorMessage}` : label}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onOpen(stepId, host)}
      onFocus={() => onFocus(row, col)}
      className={`absolute mx-0.5 flex items-center justify-center gap-1 rounded text-xs ${CELL_BG[status]} ${selected ? 'ring-2 ring-brand' : ''} focus-visible:outline-2 focus-visible:outline-brand`}
      style={pos}
    >
      <StatusIcon status={status} />
      <span className="tabular-nums text-zinc-600 dark:text-zinc-300">{status === 'failed' && cell?.errorKind ? cell.errorKind : duration}</span>
    </button>
  );
});
