'use client';
import { memo } from 'react';
import type { NodeStatus, StepStatus } from '@/server/contracts/status';
import { CELL_BG, StatusIcon, statusLook } from '@/components/ui/status';
import { formatDuration } from '@/components/ui/format';
import { useNow } from './use-now';
import { connectingText, type GridCell, type GridRow } from './grid-model';

export const NAME_W = 280;

/** Memoized: every frame of a live run re-renders the grid, and the visible rows' names rarely change. */
export const RowHeader = memo(function RowHeader({ row, status, onToggle }: { row: GridRow; status?: NodeStatus; onToggle: (moduleId: string) => void }) {
  const base = 'sticky left-0 z-10 flex h-full items-center gap-2 truncate border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950';
  if (row.kind === 'module') {
    return (
      <div role="rowheader" className={`${base} bg-zinc-50 px-1 text-sm font-semibold dark:bg-zinc-900`} style={{ width: NAME_W }} title={row.name}>
        <button type="button" aria-expanded={!row.collapsed} onClick={() => onToggle(row.id)} data-testid={`module-toggle-${row.id}`}
          className="flex min-w-0 flex-1 items-center gap-2 rounded px-2 py-0.5 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand dark:hover:bg-zinc-800">
          <span aria-hidden className="w-3 text-xs">{row.collapsed ? '▸' : '▾'}</span>
          {status ? <StatusIcon status={status} /> : null}
          <span className="truncate">{row.name}</span>
          <span className="sr-only">{row.collapsed ? '(collapsed, press to expand)' : '(press to collapse)'}</span>
        </button>
      </div>
    );
  }
  if (row.kind === 'task') {
    return (
      <div role="rowheader" className={`${base} pl-5 pr-2 text-sm font-medium`} style={{ width: NAME_W }} title={row.ignoreError ? `${row.name} — advisory: a failure here is reported, and the module goes on` : row.name}>
        {status ? <StatusIcon status={status} /> : null}
        <span className="truncate">{row.name}</span>
        {row.hosts.size === 0 ? <span className="text-xs text-zinc-600 dark:text-zinc-400">no hosts</span> : null}
        {row.ignoreError ? <span className="rounded border border-zinc-300 px-1 text-[10px] uppercase text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">advisory</span> : null}
      </div>
    );
  }
  return <div role="rowheader" className={`${base} pl-9 pr-2 text-xs text-zinc-600 dark:text-zinc-400`} style={{ width: NAME_W }} title={row.name}><span className="truncate">{row.name}</span></div>;
});

/** A task's or module's status on one host: display only (the step rows below hold the cells to open). */
export const RollupCell = memo(function RollupCell({ left, width, name, host, status }: { left: number; width: number; name: string; host: string; status: StepStatus | undefined }) {
  const pos = { left, width, top: 4, bottom: 4 };
  if (!status) return <div role="gridcell" aria-label={`${name} on ${host}: not applicable`} className="absolute" style={pos} />;
  return (
    <div role="gridcell" data-rollup={status} data-host={host} aria-label={`${name} on ${host}: ${statusLook(status).label}`} title={`${name} on ${host}: ${statusLook(status).label}`}
      className={`absolute mx-2 flex items-center justify-center rounded-full text-[11px] ${CELL_BG[status]}`} style={pos}>
      <StatusIcon status={status} still />
    </div>
  );
});

type CellProps = {
  left: number; width: number; row: number; col: number; host: string; step: string; stepId: string; applies: boolean;
  cell: GridCell | undefined; selected: boolean; tabbable: boolean; onOpen: (stepId: string, host: string) => void; onFocus: (row: number, col: number) => void;
};

export const Cell = memo(function Cell({ left, width, row, col, host, step, stepId, applies, cell, selected, tabbable, onOpen, onFocus }: CellProps) {
  // only a running cell subscribes to the clock, so a tick re-renders the running cells and nothing else
  const now = useNow(applies && cell?.status === 'running');
  const pos = { left, width, top: 2, bottom: 2 };
  if (!applies) {
    return (
      <div role="gridcell" data-cell={`${row}:${col}`} tabIndex={tabbable ? 0 : -1} onFocus={() => onFocus(row, col)} aria-label={`${step} on ${host}: not applicable`}
        className="absolute text-center text-xs leading-[26px] text-zinc-500 focus-visible:outline-2 focus-visible:outline-brand dark:text-zinc-500" style={pos}>·</div>
    );
  }
  const status = cell?.status ?? 'pending';
  const look = statusLook(status);
  const duration = cell?.startedAt ? formatDuration((cell.endedAt ?? now) - cell.startedAt) : '';
  const connecting = status === 'running' ? cell?.connecting : null;
  const label = `${step} on ${host}: ${connecting ? connectingText(connecting) : look.label}${duration ? `, ${duration}` : ''}${cell?.errorKind ? `, ${cell.errorKind} error` : ''}`;
  return (
    <button
      type="button"
      role="gridcell"
      data-cell={`${row}:${col}`}
      data-status={status}
      data-host={host}
      data-step={step}
      data-step-id={stepId}
      data-connecting={connecting ? `${connecting.attempt}/${connecting.attempts}` : undefined}
      aria-label={label}
      aria-selected={selected}
      title={cell?.errorMessage ? `${label}\n${cell.errorMessage}` : label}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onOpen(stepId, host)}
      onFocus={() => onFocus(row, col)}
      className={`absolute mx-0.5 flex items-center justify-center gap-1 rounded text-xs ${CELL_BG[status]} ${selected ? 'ring-2 ring-brand' : ''} focus-visible:outline-2 focus-visible:outline-brand`}
      style={pos}
    >
      {/* still: one spinning layer per running cell (hundreds at 200 hosts) cost every frame; the ticking time shows it runs */}
      <StatusIcon status={status} still />
      <span className="truncate tabular-nums text-zinc-700 dark:text-zinc-300">{status === 'failed' && cell?.errorKind ? cell.errorKind : connecting ? `connecting ${connecting.attempt}/${connecting.attempts}` : duration}</span>
    </button>
  );
});
