export type AnsiStyle = { fg?: string; bg?: string; bold?: boolean; dim?: boolean; italic?: boolean; underline?: boolean };
export type AnsiSegment = { text: string; style: AnsiStyle };

const BASE = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5'];
const BRIGHT = ['#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];

function color256(n: number): string | undefined {
  if (n < 8) return BASE[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const i = n - 16;
    const v = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${v(Math.floor(i / 36))},${v(Math.floor(i / 6) % 6)},${v(i % 6)})`;
  }
  if (n < 256) {
    const g = 8 + (n - 232) * 10;
    return `rgb(${g},${g},${g})`;
  }
  return undefined;
}

function extended(codes: number[], i: number): { color?: string; next: number } {
  if (codes[i + 1] === 5) return { color: color256(codes[i + 2] ?? -1), next: i + 2 };
  if (codes[i + 1] === 2) {
    const [r, g, b] = [codes[i + 2] ?? 0, codes[i + 3] ?? 0, codes[i + 4] ?? 0];
    return { color: `rgb(${r},${g},${b})`, next: i + 4 };
  }
  return { next: i };
}

function applySgr(style: AnsiStyle, codes: number[]): AnsiStyle {
  let s = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) s.bold = s.dim = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c >= 30 && c <= 37) s.fg = BASE[c - 30];
    else if (c >= 90 && c <= 97) s.fg = BRIGHT[c - 90];
    else if (c >= 40 && c <= 47) s.bg = BASE[c - 40];
    else if (c >= 100 && c <= 107) s.bg = BRIGHT[c - 100];
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const { color, next } = extended(codes, i);
      if (color) s[c === 38 ? 'fg' : 'bg'] = color;
      i = next;
    }
  }
  return s;
}

// CSI sequences (colours and cursor moves) and OSC sequences (titles, links)
const ESCAPES = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78DEHM]/g;

/** Parses one line of terminal output into styled segments; non-colour escapes are dropped. Carries style across lines via `start`. */
export function parseAnsi(line: string, start: AnsiStyle = {}): { segments: AnsiSegment[]; end: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style = start;
  let last = 0;
  for (const m of line.matchAll(ESCAPES)) {
    const at = m.index;
    if (at > last) segments.push({ text: line.slice(last, at), style });
    if (m[2] === 'm') style = applySgr(style, (m[1] || '0').split(';').map((x) => Number(x) || 0));
    last = at + m[0].length;
  }
  if (last < line.length) segments.push({ text: line.slice(last), style });
  return { segments, end: style };
}

export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, '');
}
