'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { RunPlan } from '@/server/contracts/run-types';
import type { StepStatus } from '@/server/contracts/status';
import { StatusIcon, statusLook } from '@/components/ui/status';
import { formatDuration } from '@/components/ui/format';
import { Button } from '@/components/ui/button';
import type { GridCell } from './grid-model';
import { buildTimeline, tickStep, type Bar } from './timeline-model';

const LANE_H = 26;
const LABEL_W = 160;
const BASE_W = 1000;

// colour plus a cue that is not colour: a pattern or outline per status
const BAR: Record<StepStatus, string> = {
  pending: 'bg-zinc-300',
  running: 'bg-status-running/70 animate-pulse',
  succeeded: 'bg-status-succeeded/80',
  skipped: 'bg-status-skipped/40 outline-1 outline-dotted outline-zinc-500',
  failed: 'bg-status-failed bg-[repeating-linear-gradient(45deg,transparent_0_3px,rgba(255,255,255,.45)_3px_6px)] outline-2 outline-zinc-900 dark:outline-white',
  cancelled: 'bg-status-cancelled/40 outline-1 outline-dashed outline-zinc-600',
};

type Props = { plan: RunPlan; cells: ReadonlyMap<string, GridCell>; now: number; live: boolean; version: number; onOpenCell: (stepId: string, host: string) => void };

/** A lane per host, a bar per step: stragglers and slow steps stand out. Lanes are virtualized; bars are rebuilt at most once a second. */
export function RunTimeline({ plan, cells, now, live, version, onOpenCell }: Props) {
  // the cells map is updated in place: rebuild once a second while live, else when it changed
  const rebuild = live ? Math.floor(now / 1000) : version;
  const t = useMemo(() => buildTimeline(plan, cells, now), [plan, cells, rebuild]);
  const [zoom, setZoom] = useState(1);
  const [hover, setHover] = useState<Bar | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: t.lanes.length, getScrollElement: () => scrollRef.current, estimateSize: () => LANE_H, overscan: 6 });
  const span = t.t1 - t.t0;
  const width = BASE_W * zoom;
  const x = (ts: number) => ((ts - t.t0) / span) * width;
  const step = tickStep(span, 8 * zoom);
  const ticks = span > 0 ? Array.from({ length: Math.floor(span / step) + 1 }, (_, i) => i * step) : [];
  const byKey = useMemo(() => new Map<string, Bar>(t.lanes.flatMap((l) => l.bars.map((b) => [`${b.stepId}|${b.host}`, b] as const))), [t]);
  const onOver = (e: { target: EventTarget }) => {
    const key = (e.target as HTMLElement).closest<HTMLElement>('[data-bar]')?.dataset.bar;
    setHover(key ? byKey.get(key) ?? null : null);
  };

  if (t.lanes.length === 0 || span <= 0) return <p className="text-sm text-zinc-600" data-testid="timeline-empty">No step has started yet.</p>;
  return (
    <section aria-label="Timeline by host" className="flex flex-col gap-2" data-testid="run-timeline">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>Zoom</span>
        <Button onClick={() => setZoom((z) => Math.max(1, z / 2))} disabled={zoom <= 1} aria-label="Zoom out">−</Button>
        <span className="tabular-nums" data-testid="timeline-zoom">{zoom}×</span>
        <Button onClick={() => setZoom((z) => Math.min(64, z * 2))} disabled={zoom >= 64} aria-label="Zoom in">+</Button>
        <Button variant="ghost" onClick={() => setZoom(1)}>Fit</Button>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">{t.lanes.length} hosts · {formatDuration(span)} · a thick dark top edge marks the slowest 5% of steps</span>
        <p className="ml-auto min-h-5 text-xs" aria-live="polite" data-testid="timeline-hover">
          {hover ? <><StatusIcon status={hover.status} still /> {hover.name} on {hover.host}: {statusLook(hover.status).label}, {formatDuration(hover.end - hover.start)}</> : 'Hover a bar for its step; click it to open its output.'}
        </p>
      </div>
      <div ref={scrollRef} className="relative max-h-[70vh] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800" onMouseOver={onOver} onFocus={onOver}>
        <div style={{ width: LABEL_W + width + 16, height: v.getTotalSize() + 24, position: 'relative' }}>
          <div className="sticky top-0 z-20 h-6 border-b border-zinc-200 bg-white/95 text-[10px] text-zinc-600 dark:border-zinc-800 dark:bg-zinc-950/95 dark:text-zinc-400" style={{ width: LABEL_W + width + 16 }} aria-hidden>
            {ticks.map((ms) => <span key={ms} className="absolute top-1 border-l border-zinc-300 pl-0.5 dark:border-zinc-700" style={{ left: LABEL_W + x(t.t0 + ms) }}>{formatDuration(ms) || '0s'}</span>)}
          </div>
          {v.getVirtualItems().map((it) => {
            const lane = t.lanes[it.index]!;
            return (
              <div key={lane.host} role="group" aria-label={`${lane.host}: ${lane.bars.length} steps, done after ${formatDuration(lane.end - t.t0)}`} className="absolute left-0 flex" style={{ top: it.start + 24, height: LANE_H, width: LABEL_W + width }} data-lane={lane.host}>
                <div className="sticky left-0 z-10 flex w-40 shrink-0 items-center justify-between gap-1 border-r border-zinc-200 bg-white px-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950" style={{ width: LABEL_W }}>
                  <span className="truncate">{lane.host}</span>
                  <span className="text-[10px] tabular-nums text-zinc-600 dark:text-zinc-400">{formatDuration(lane.end - t.t0)}</span>
                </div>
                <div className="relative" style={{ width }}>
                  {lane.bars.map((b) => (
                    <button key={b.stepId} type="button" data-bar={`${b.stepId}|${b.host}`} data-status={b.status} data-slow={b.slow || undefined}
                      aria-label={`${b.name} on ${b.host}: ${statusLook(b.status).label}, ${formatDuration(b.end - b.start)}${b.slow ? ', among the slowest' : ''}`}
                      onClick={() => onOpenCell(b.stepId, b.host)}
                      className={`absolute top-1 bottom-1 overflow-hidden rounded-sm text-[9px] leading-4 text-black focus-visible:outline-2 focus-visible:outline-brand ${BAR[b.status]} ${b.slow ? 'border-t-4 border-zinc-900 dark:border-white' : ''}`}
                      style={{ left: x(b.start), width: Math.max(3, x(b.end) - x(b.start)) }}>
                      {b.status === 'failed' ? <span aria-hidden>✕</span> : null}
                    </button>
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
