type Op = { kind: 'keep'; a: number; b: number } | { kind: 'del'; a: number } | { kind: 'ins'; b: number };

const MAX_CELLS = 25_000_000;

/** Longest-common-subsequence edit script; undefined past MAX_CELLS (the caller then keeps its plain output). */
export function lineDiff(a: readonly string[], b: readonly string[], same = (x: string, y: string) => x === y): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = same(a[i]!, b[j]!) ? len[(i + 1) * w + j + 1]! + 1 : Math.max(len[(i + 1) * w + j]!, len[i * w + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(a[i]!, b[j]!)) ops.push({ kind: 'keep', a: i++, b: j++ });
    else if (j < m && (i === n || len[i * w + j + 1]! >= len[(i + 1) * w + j]!)) ops.push({ kind: 'ins', b: j++ });
    else ops.push({ kind: 'del', a: i++ });
  }
  return ops;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * `before` and `after` are two printings of one document (before: as parsed, after: edited). The result is the
 * original text with only the lines that differ between them replaced, so the user's spacing, comment alignment and
 * blank lines survive everywhere else. undefined when the texts are too large to compare.
 */
export function mergeEdits(original: string, before: string, after: string): string | undefined {
  const A = original.split('\n');
  const B = before.split('\n');
  const C = after.split('\n');
  const ab = lineDiff(A, B, (x, y) => squash(x) === squash(y));
  const bc = lineDiff(B, C);
  if (!ab || !bc) return undefined;
  const aOf = new Map<number, number>();
  for (const op of ab) if (op.kind === 'keep') aOf.set(op.b, op.a);
  const out: string[] = [];
  let next = 0;
  const catchUp = (to: number) => {
    while (next < to) out.push(A[next++]!);
  };
  for (const op of bc) {
    if (op.kind === 'ins') out.push(C[op.b]!);
    else {
      const a = aOf.get(op.a);
      if (a !== undefined) catchUp(a);
      // a kept line printed differently from the original (a comment moved, a flow list re-wrapped) comes from the original's own lines
      if (a !== undefined && op.kind === 'keep') out.push(A[next++]!);
      else if (a !== undefined) next++;
    }
  }
  catchUp(A.length);
  return out.join('\n');
}
