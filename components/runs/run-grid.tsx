'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { RunPlan } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { NAME_W, RollupCell, RowHeader } from './grid-cells';
import { foldedModules, gridRows, type GridCell, type NodeStatuses } from './grid-model';
import { StepRowCells } from './grid-step-row';
import { rollupKey } from './rollups';

const COL_W = 92;
const MAX_COL_W = 168;
const ROW_H = 30;
const HEADER_H = 34;

export type GridTarget = { stepId: string; host: string };

type Props = {
  plan: RunPlan;
  cells: ReadonlyMap<string, GridCell>;
  /** per step id, bumps when a cell of that row changes: rows without changes are not re-rendered */
  rowVersions: ReadonlyMap<string, number>;
  nodes?: NodeStatuses;
  rollups?: ReadonlyMap<string, StepStatus>;
  selected?: GridTarget | null;
  /** scroll to this cell (and into the page's viewport) whenever `n` changes */
  reveal?: (GridTarget & { n: number }) | null;
  /** while set, keep this cell's row in view */
  follow?: GridTarget | null;
  /** the user scrolled or moved in the grid by hand */
  onManualScroll?: () => void;
  markedHost?: string | null;
  onOpenCell: (stepId: string, host: string) => void;
};

const moduleOf = (stepId: string) => stepId.split('.')[0] ?? '';

export function RunGrid({ plan, cells, rowVersions, nodes, rollups, selected, reveal, follow, onManualScroll, markedHost, onOpenCell }: Props) {
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  // focus by step id: rows above it fold and unfold while a run goes on
  const [focus, setFocusStep] = useState<{ stepId: string; col: number } | null>(null);
  const keepOpen = new Set([focus?.stepId, selected?.stepId].filter((s): s is string => !!s).map(moduleOf));
  const folded = foldedModules(plan, nodes, overrides, keepOpen);
  // the fold state changes only with module statuses: a string key keeps the rows memoized between events
  const foldKey = plan.modules.map((m) => (folded.has(m.id) ? '1' : '0')).join('');
  const rows = useMemo(() => gridRows(plan, new Set(plan.modules.filter((_, i) => foldKey[i] === '1').map((m) => m.id))), [plan, foldKey]);
  const rowOfStep = useMemo(() => new Map(rows.flatMap((r, i) => (r.kind === 'step' ? [[r.id, i] as const] : []))), [rows]);
  const hosts = plan.hosts;
  const colOfHost = useMemo(() => new Map(hosts.map((h, i) => [h, i])), [hosts]);
  const foldedRef = useRef(folded);
  foldedRef.current = folded;
  const toggle = useCallback((moduleId: string) => setOverrides((o) => new Map(o).set(moduleId, !foldedRef.current.has(moduleId))), []);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const setFocus = useCallback((f: { row: number; col: number }) => {
    const stepId = rowsRef.current[f.row]?.id;
    if (stepId !== undefined) setFocusStep((cur) => (cur?.stepId === stepId && cur.col === f.col ? cur : { stepId, col: f.col }));
  }, []);
  const focusRow = focus ? rowOfStep.get(focus.stepId) : undefined;
  const openRef = useRef(onOpenCell);
  openRef.current = onOpenCell;
  const open = useCallback((stepId: string, host: string) => openRef.current(stepId, host), []);

  // While the grid follows a live run, its scrolls are the follow effect's own jumps: the rows they bring in are rendered
  // in a task of their own, not synchronously inside the scroll event (flushSync), where mounting a screen of new cells
  // plus painting them made the page's one long task (25–49 ms of CPU). Scrolling by hand stops following, and the
  // rows then render in the scroll event again, so that a fast scroll shows no blank frame.
  const flushOnScroll = !follow;
  const rowV = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 4, paddingStart: HEADER_H, scrollPaddingStart: HEADER_H, useFlushSync: flushOnScroll });
  // few hosts: wider columns fill the width; many: the minimum width and horizontal scrolling
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const colW = Math.max(COL_W, Math.min(MAX_COL_W, Math.floor((width - NAME_W - 2) / Math.max(1, hosts.length))));
  const colV = useVirtualizer({ horizontal: true, count: hosts.length, getScrollElement: () => scrollRef.current, estimateSize: () => colW, overscan: 2, paddingStart: NAME_W, scrollPaddingStart: NAME_W, useFlushSync: flushOnScroll });
  useLayoutEffect(() => colV.measure(), [colV, colW]);

  // the cell to focus once rendered, by step id: moving the focus into another module unfolds it and may fold the one
  // it leaves, so the row index changes before the cell exists. A ref, since an earlier render's effect may run after
  // the key press.
  const wantFocus = useRef<{ stepId: string; col: number; page?: boolean } | null>(null);
  const scrollTo = useCallback((row: number, col: number | null, align: 'auto' | 'center' = 'auto') => {
    // scrolled at once (scrollToIndex reconciles over animation frames, and two virtualizers share this element)
    const el = scrollRef.current;
    const top = rowV.getOffsetForIndex(row, align)?.[0];
    const left = col === null ? undefined : colV.getOffsetForIndex(col, align)?.[0];
    if (el && top !== undefined && Math.abs(el.scrollTop - top) > 1) el.scrollTop = top;
    if (el && left !== undefined && Math.abs(el.scrollLeft - left) > 1) el.scrollLeft = left;
  }, [rowV, colV]);
  const focusCell = useCallback((row: number, col: number) => {
    const stepId = rowsRef.current[row]?.id;
    if (stepId !== undefined) wantFocus.current = { stepId, col };
    setFocus({ row, col });
    scrollTo(row, col);
  }, [scrollTo, setFocus]);

  useEffect(() => {
    const want = wantFocus.current;
    if (!want) return;
    const row = rowOfStep.get(want.stepId);
    if (row === undefined) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${row}:${want.col}"]`);
    if (!el) {
      scrollTo(row, want.col);
      return;
    }
    wantFocus.current = null;
    el.focus({ preventScroll: true });
    if (want.page) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });

  // reveal: open the module that holds the cell, then scroll the grid and the page to it
  const [revealing, setRevealing] = useState<(GridTarget & { n: number }) | null>(null);
  useEffect(() => {
    if (!reveal) return;
    setOverrides((o) => (o.get(moduleOf(reveal.stepId)) === false ? o : new Map(o).set(moduleOf(reveal.stepId), false)));
    setRevealing(reveal);
  }, [reveal?.n]);
  useLayoutEffect(() => {
    if (!revealing) return;
    const row = rowOfStep.get(revealing.stepId);
    const col = colOfHost.get(revealing.host);
    if (row === undefined || col === undefined) return;
    setRevealing(null);
    wantFocus.current = { stepId: revealing.stepId, col, page: true };
    setFocus({ row, col });
    scrollTo(row, col, 'center');
  }, [revealing, rowOfStep, colOfHost, scrollTo, setFocus]);

  // a scroll by hand wins over a follow effect already on its way (committed before the parent has stopped following)
  const scrolledByHand = useRef(false);
  const manualScroll = useCallback(() => {
    scrolledByHand.current = true;
    onManualScroll?.();
  }, [onManualScroll]);
  // a person in the grid (a cell focused by click, Tab or a link) takes over: following on would scroll the focused
  // row out of the virtual window and drop the focus on <body>
  const focusAt = useCallback((row: number, col: number) => {
    setFocus({ row, col });
    manualScroll();
  }, [setFocus, manualScroll]);
  const following = !!follow;
  useLayoutEffect(() => {
    if (following) scrolledByHand.current = false;
  }, [following]);
  // by row only (the host changes with nearly every event), and from the virtualizer's own scroll offset and size:
  // reading the element's scrollTop / clientHeight right after a commit forced a layout on every event
  const followStep = follow?.stepId;
  useEffect(() => {
    if (followStep === undefined || scrolledByHand.current) return;
    const row = rowOfStep.get(followStep);
    if (row === undefined || !scrollRef.current) return;
    const item = rowV.measurementsCache[row];
    const top = rowV.scrollOffset ?? 0;
    const height = rowV.scrollRect?.height ?? 0;
    if (item && height > 0 && item.start >= top + HEADER_H && item.end <= top + height) return;
    scrollTo(row, null, 'center');
  }, [followStep, rowOfStep, rowV, scrollTo]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (['PageUp', 'PageDown', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) manualScroll();
    if (!focus || focusRow === undefined) return;
    const step = (dr: number) => {
      let r = focusRow + dr;
      while (r >= 0 && r < rows.length && rows[r]?.kind !== 'step') r += dr;
      return r >= 0 && r < rows.length ? r : focusRow;
    };
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusCell(step(1), focus.col),
      ArrowUp: () => focusCell(step(-1), focus.col),
      ArrowRight: () => focusCell(focusRow, Math.min(hosts.length - 1, focus.col + 1)),
      ArrowLeft: () => focusCell(focusRow, Math.max(0, focus.col - 1)),
      Home: () => focusCell(focusRow, 0),
      End: () => focusCell(focusRow, hosts.length - 1),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  };

  const totalW = colV.getTotalSize();
  const vCols = colV.getVirtualItems();
  const vRows = rowV.getVirtualItems();
  // one cell is in the Tab order (roving tabindex), and it must be rendered: the focused cell while it is in the
  // virtual window, else the first rendered step cell (following a run scrolls the first rows out of the DOM)
  const focusShown = focus !== null && focusRow !== undefined && vRows.some((r) => r.index === focusRow) && vCols.some((c) => c.index === focus.col);
  const firstStep = vRows.find((r) => rows[r.index]?.kind === 'step')?.index;
  const firstCol = vCols[0]?.index ?? 0;
  const tabbableIn = (row: number) => (focusShown ? (focusRow === row ? focus.col : -1) : row === firstStep ? firstCol : -1);

  return (
    <div ref={boxRef} className="min-w-0">
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Run steps by host"
        aria-rowcount={rows.length + 1}
        aria-colcount={hosts.length + 1}
        onKeyDown={onKeyDown}
        onWheel={manualScroll}
        onTouchMove={manualScroll}
        onPointerDown={(e) => { if (e.target === e.currentTarget) manualScroll(); }}
        className="relative overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        style={{ height: `min(70vh, ${rowV.getTotalSize() + 2}px)`, width: `min(100%, ${totalW + 2}px)` }}
        data-testid="run-grid"
      >
        <div style={{ width: totalW, height: rowV.getTotalSize(), position: 'relative' }}>
          <div role="row" className="sticky top-0 z-20 bg-white dark:bg-zinc-950" style={{ height: HEADER_H, width: totalW }}>
            <div role="columnheader" className="sticky left-0 z-30 flex h-full items-center border-b border-r border-zinc-200 bg-white px-3 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-400" style={{ width: NAME_W }}>
              Step \ Host ({hosts.length})
            </div>
            {vCols.map((c) => {
              const host = hosts[c.index] ?? '';
              const marked = host === markedHost;
              return (
                <div key={c.key} role="columnheader" title={marked ? `${host}: the failure is on this host` : host} data-marked={marked || undefined}
                  className={`absolute top-0 flex h-full items-center justify-center gap-1 truncate border-b px-1 font-mono text-xs font-semibold ${marked ? 'border-b-2 border-status-failed bg-status-failed/10' : 'border-zinc-200 dark:border-zinc-800'}`}
                  style={{ left: c.start, width: c.size }}>
                  {marked ? <span aria-hidden className="text-status-failed">✕</span> : null}
                  {host}
                  {marked ? <span className="sr-only">(failed here)</span> : null}
                </div>
              );
            })}
          </div>
          {vRows.map((r) => {
            const row = rows[r.index];
            if (!row) return null;
            return (
              <div key={row.key} role="row" aria-rowindex={r.index + 2} className="absolute left-0" style={{ top: r.start, height: r.size, width: totalW }}>
                <RowHeader row={row} status={row.kind === 'step' ? undefined : nodes?.get(row.id)} onToggle={toggle} />
                {row.kind === 'step' ? (
                  <StepRowCells row={row} index={r.index} vCols={vCols} hosts={hosts} cells={cells} version={rowVersions.get(row.id) ?? 0}
                    selectedHost={selected?.stepId === row.id ? selected.host : null}
                    tabbableCol={tabbableIn(r.index)} onOpen={open} onFocus={focusAt} />
                ) : vCols.map((c) => {
                  const host = hosts[c.index] ?? '';
                  return <RollupCell key={c.key} left={c.start} width={c.size} name={row.name} host={host} status={row.hosts.has(host) ? rollups?.get(rollupKey(row.id, host)) ?? 'pending' : undefined} />;
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

