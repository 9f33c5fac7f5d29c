import { shellQuote } from '../connectors/shell-quote';

export const REDACTED = '[redacted]';
const MIN_LINE = 16;

function forms(value: string): string[] {
  const out = new Set<string>([value, Buffer.from(value).toString('base64'), Buffer.from(`${value}\n`).toString('base64')]);
  try {
    out.add(shellQuote(value));
  } catch {
    // a value shellQuote refuses (NUL, lone surrogate) can never have been sent quoted
  }
  if (value.includes('\n')) {
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_LINE) out.add(line);
  }
  return [...out].filter((f) => f.length > 0);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Matcher = { re: RegExp | null; maxLen: number };

function matcher(values: readonly string[]): Matcher {
  const all = [...new Set(values.filter((v) => v.length > 0).flatMap(forms))].sort((a, b) => b.length - a.length);
  if (all.length === 0) return { re: null, maxLen: 0 };
  return { re: new RegExp(all.map(escape).join('|'), 'g'), maxLen: all[0]?.length ?? 0 };
}

/** Replaces each known secret, its shell-quoted form, its base64 forms and (for multi-line secrets) each long line with [redacted]. */
export function createRedactor(values: readonly string[]): (text: string) => string {
  const { re } = matcher(values);
  return (text) => (re ? text.replace(re, REDACTED) : text);
}

export type StreamRedactor = {
  /** Redacts a chunk; holds back a tail that could be the start of a secret cut by the chunk boundary. */
  push: (chunk: string) => string;
  /** Returns the held-back tail, redacted: call at the end of the stream. */
  flush: () => string;
};

/** One per output stream (e.g. per host, step and stdout/stderr): a secret split across chunks is still redacted. */
export function createStreamRedactor(values: readonly string[]): StreamRedactor {
  const { re, maxLen } = matcher(values);
  let pending = '';
  return {
    push(chunk) {
      if (!re) return chunk;
      const buf = pending + chunk;
      // A match starting before holdFrom has maxLen chars after it in buf, so the longest form was already tried there.
      const holdFrom = Math.max(0, buf.length - (maxLen - 1));
      let out = '';
      let pos = 0;
      for (const m of buf.matchAll(re)) {
        if (m.index >= holdFrom) break;
        out += buf.slice(pos, m.index) + REDACTED;
        pos = m.index + m[0].length;
      }
      const cut = Math.max(pos, holdFrom);
      out += buf.slice(pos, cut);
      pending = buf.slice(cut);
      return out;
    },
    flush() {
      const rest = pending;
      pending = '';
      return re ? rest.replace(re, REDACTED) : rest;
    },
  };
}
