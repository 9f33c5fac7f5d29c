'use client';
import type { VirtualItem } from '@tanstack/react-virtual';
import { memo } from 'react';
import { Cell } from './grid-cells';
import { cellKey, type GridCell, type GridRow } from './grid-model';

type Props = {
  row: Extract<GridRow, { kind: 'step' }>;
  index: number;
  vCols: readonly VirtualItem[];
  hosts: readonly string[];
  cells: ReadonlyMap<string, GridCell>;
  /** bumps whenever a cell of this row changes (`cells` is mutated in place, so it cannot tell) */
  version: number;
  selectedHost: string | null;
  tabbableCol: number;
  onOpen: (stepId: string, host: string) => void;
  onFocus: (row: number, col: number) => void;
};

/**
 * One step row's visible cells. Memoized on the row's version: a frame with events re-renders only the rows whose cells
 * changed (a 200-host run changes one or two rows at a time), not every visible cell of the grid.
 */
export const StepRowCells = memo(function StepRowCells({ row, index, vCols, hosts, cells, selectedHost, tabbableCol, onOpen, onFocus }: Props) {
  return vCols.map((c) => {
    const host = hosts[c.index] ?? '';
    const applies = row.hosts.has(host);
    const cell = applies ? cells.get(cellKey(row.id, host)) : undefined;
    return (
      <Cell key={c.key} left={c.start} width={c.size} row={index} col={c.index} host={host} step={row.name} stepId={row.id} applies={applies} cell={cell}
        selected={selectedHost === host} tabbable={tabbableCol === c.index} onOpen={onOpen} onFocus={onFocus} />
    );
  });
});
