import fs from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../../connectors/shell-quote';

/** A form of a test secret to search for; only the label is ever printed. */
export type Needle = { label: string; value: Buffer };

const MIN_LINE = 16;

/** Each secret raw, base64 (with and without a trailing newline) and shell-quoted; multi-line secrets also line by line. */
export function secretNeedles(secrets: Record<string, string>): Needle[] {
  const out: Needle[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const add = (form: string, v: string) => out.push({ label: `${name} (${form})`, value: Buffer.from(v) });
    add('raw', value);
    add('base64', Buffer.from(value).toString('base64'));
    add('base64+newline', Buffer.from(`${value}\n`).toString('base64'));
    add('shell-quoted', shellQuote(value));
    if (value.includes('\n')) {
      for (const [i, line] of value.split('\n').entries()) if (line.length >= MIN_LINE && !line.startsWith('-----')) add(`line ${i + 1}`, line);
    }
  }
  return out;
}

export function findNeedles(haystack: string | Buffer, needles: readonly Needle[]): string[] {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return needles.filter((n) => buf.includes(n.value)).map((n) => n.label);
}

/** Regular files under root (changed since `sinceMs` when given) that hold a needle. Unreadable entries are skipped. */
export function scanFiles(root: string, needles: readonly Needle[], opts: { sinceMs?: number; skip?: (file: string) => boolean; maxBytes?: number } = {}): { hits: { file: string; labels: string[] }[]; scanned: number } {
  const hits: { file: string; labels: string[] }[] = [];
  let scanned = 0;
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const file = path.join(dir, e.name);
      if (opts.skip?.(file)) continue;
      if (e.isDirectory()) walk(file);
      if (!e.isFile()) continue;
      try {
        const st = fs.statSync(file);
        if ((opts.sinceMs !== undefined && st.mtimeMs < opts.sinceMs) || st.size > (opts.maxBytes ?? 64 * 1024 * 1024)) continue;
        scanned++;
        const labels = findNeedles(fs.readFileSync(file), needles);
        if (labels.length > 0) hits.push({ file, labels });
      } catch {
        // vanished or unreadable
      }
    }
  };
  walk(root);
  return { hits, scanned };
}
