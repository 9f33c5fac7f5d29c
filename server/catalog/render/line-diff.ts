type Op = { tag: ' ' | '-' | '+'; line: string };

const MAX_CELLS = 4_000_000;

/** LCS over the lines between the common head and tail; a middle too large for that is shown as removed then added. */
function ops(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const mid: Op[] = [];
  if (x.length * y.length > MAX_CELLS) {
    mid.push(...x.map((line) => ({ tag: '-' as const, line })), ...y.map((line) => ({ tag: '+' as const, line })));
  } else {
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        mid.push({ tag: ' ', line: x[i++]! });
        j++;
      } else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) mid.push({ tag: '-', line: x[i++]! });
      else mid.push({ tag: '+', line: y[j++]! });
    }
  }
  const same = (l: string): Op => ({ tag: ' ', line: l });
  return [...a.slice(0, head).map(same), ...mid, ...a.slice(a.length - tail).map(same)];
}

const split = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A unified diff (3 lines of context) from the text on the host to the rendered one; '' when equal. */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const all = ops(split(before), split(after));
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  let k = 0;
  while (k < all.length) {
    while (k < all.length && all[k]!.tag === ' ') k++;
    if (k >= all.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    for (;;) {
      while (end < all.length && all[end]!.tag !== ' ') end++;
      let run = end;
      while (run < all.length && all[run]!.tag === ' ') run++;
      if (run < all.length && run - end <= 2 * context) end = run;
      else {
        end = Math.min(all.length, end + context);
        break;
      }
    }
    const hunk = all.slice(start, end);
    const fromStart = all.slice(0, start).filter((o) => o.tag !== '+').length + 1;
    const toStart = all.slice(0, start).filter((o) => o.tag !== '-').length + 1;
    out.push(`@@ -${fromStart},${hunk.filter((o) => o.tag !== '+').length} +${toStart},${hunk.filter((o) => o.tag !== '-').length} @@`);
    for (const o of hunk) out.push(`${o.tag}${o.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
