'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactElement } from 'react';
import { parseAnsi, stripAnsi, type AnsiSegment, type AnsiStyle } from './ansi';

export type LogLine = { seq: number; stream: 'stdout' | 'stderr' | 'system'; text: string; host?: string | null; stepId?: string | null; ts?: number };

const LINE_H = 18;

function styleOf(s: AnsiStyle): CSSProperties {
  return {
    color: s.fg,
    backgroundColor: s.bg,
    fontWeight: s.bold ? 700 : undefined,
    opacity: s.dim ? 0.7 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: s.underline ? 'underline' : undefined,
  };
}

type Row = { key: string; line: LogLine; segments: AnsiSegment[] };
type Parsed = { start: AnsiStyle; rows: Row[]; end: AnsiStyle };

// a live log re-renders many times a second: each line is parsed once, unless the style it starts with changed
const parsedLines = new WeakMap<LogLine, Parsed>();

function parseLine(line: LogLine, start: AnsiStyle): Parsed {
  const cached = parsedLines.get(line);
  if (cached && cached.start === start) return cached;
  const parts = line.text.replace(/\r\n/g, '\n').split('\n');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let carry = start;
  const rows = parts.map((part, i) => {
    const visible = part.includes('\r') ? part.slice(part.lastIndexOf('\r') + 1) : part;
    const { segments, end } = parseAnsi(visible, carry);
    carry = end;
    return { key: `${line.seq}:${i}`, line, segments };
  });
  const parsed = { start, rows, end: carry };
  parsedLines.set(line, parsed);
  return parsed;
}

function splitRows(lines: readonly LogLine[]): Row[] {
  const out: Row[] = [];
  let carry: AnsiStyle = NO_STYLE;
  for (const line of lines) {
    const p = parseLine(line, carry);
    carry = p.end;
    for (const r of p.rows) out.push(r);
  }
  return out;
}

const NO_STYLE: AnsiStyle = {};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const clock = (ts: number) => {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

/** The segment's text with every case-insensitive occurrence of `q` in a <mark>. */
function marked(text: string, q: string, strong: boolean) {
  if (!q) return text;
  const lower = text.toLowerCase();
  const out: (string | ReactElement)[] = [];
  let at = 0;
  for (let i = lower.indexOf(q); i !== -1; i = lower.indexOf(q, i + q.length)) {
    if (i > at) out.push(text.slice(at, i));
    out.push(<mark key={i} data-match className={strong ? 'bg-yellow-300 text-black' : 'bg-yellow-600/60 text-inherit'}>{text.slice(i, i + q.length)}</mark>);
    at = i + q.length;
  }
  if (out.length === 0) return text;
  if (at < text.length) out.push(text.slice(at));
  return out;
}

type LogViewProps = {
  lines: readonly LogLine[];
  downloadHref?: string;
  downloadLabel?: string;
  emptyText?: string;
  showHost?: boolean;
  /** stderr is shown as an error only where this says so (a failed step); otherwise it is ordinary output */
  isError?: (line: LogLine) => boolean;
};

export function LogView({ lines, downloadHref, downloadLabel = 'Download', emptyText = 'No output yet.', showHost = false, isError }: LogViewProps) {
  const rows = useMemo(() => splitRows(lines), [lines]);
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [times, setTimes] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const q = query.toLowerCase();
  const matches = useMemo(() => {
    if (!q) return [];
    return rows.flatMap((r, i) => (stripAnsi(r.segments.map((s) => s.text).join('')).toLowerCase().includes(q) ? [i] : []));
  }, [rows, q]);
  const [matchAt, setMatchAt] = useState(0);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_H, overscan: 20 });
  useEffect(() => v.measure(), [wrap, v]);

  useEffect(() => {
    if (follow && rows.length > 0) v.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [rows.length, follow, v]);

  const jump = (delta: number) => {
    if (matches.length === 0) return;
    const next = (matchAt + delta + matches.length) % matches.length;
    setMatchAt(next);
    setFollow(false);
    v.scrollToIndex(matches[next] ?? 0, { align: 'center' });
  };

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_H * 2;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const current = matches[matchAt];
  const toggle = 'flex items-center gap-1 text-xs';
  return (
    <div className="flex h-full min-h-0 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <input
          type="search"
          aria-label="Search log"
          placeholder="Search log"
          value={query}
          onChange={(e) => { setQuery(e.target.value); setMatchAt(0); }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') jump(e.shiftKey ? -1 : 1);
            if (e.key === 'Escape' && query) { e.preventDefault(); setQuery(''); }
          }}
          className="w-48 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
        {query ? <span className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">{matches.length ? `${matchAt + 1}/${matches.length}` : 'no match'}</span> : null}
        <label className={toggle}><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow</label>
        <label className={toggle}><input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap</label>
        <label className={toggle}><input type="checkbox" checked={times} onChange={(e) => setTimes(e.target.checked)} /> timestamps</label>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">{rows.length} lines</span>
        {downloadHref ? <a className="ml-auto text-xs text-brand underline" href={downloadHref} download>{downloadLabel}</a> : null}
      </div>
      <div ref={scrollRef} onScroll={onScroll} data-testid="log-view" data-wrap={wrap} role="log" aria-label="Command output" tabIndex={0} className="min-h-40 flex-1 overflow-auto rounded bg-zinc-950 p-2 font-mono text-xs text-zinc-200">
        {rows.length === 0 ? <p className="text-zinc-400">{emptyText}</p> : (
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((it) => {
              const r = rows[it.index];
              if (!r) return null;
              const error = r.line.stream === 'stderr' && isError?.(r.line);
              return (
                <div key={r.key} data-index={it.index} ref={wrap ? v.measureElement : undefined} data-stream={r.line.stream} data-error={error || undefined}
                  className={`absolute left-0 ${wrap ? 'w-full whitespace-pre-wrap break-all' : 'whitespace-pre'} ${error ? 'text-red-300' : r.line.stream === 'system' ? 'text-sky-300' : ''} ${it.index === current ? 'bg-yellow-500/20' : ''}`}
                  style={wrap ? { top: it.start, minHeight: LINE_H, lineHeight: `${LINE_H}px` } : { top: it.start, height: LINE_H, lineHeight: `${LINE_H}px` }}>
                  {times && r.line.ts ? <span className="mr-2 text-zinc-400" data-testid="log-time">{clock(r.line.ts)}</span> : null}
                  {showHost && r.line.host ? <span className="mr-2 text-zinc-400">{r.line.host}</span> : null}
                  {r.line.stream === 'stderr' && !error ? <span aria-hidden className="mr-1 text-zinc-500">›</span> : null}
                  {r.segments.map((s, i) => <span key={i} style={styleOf(s.style)}>{marked(s.text, q, it.index === current)}</span>)}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
