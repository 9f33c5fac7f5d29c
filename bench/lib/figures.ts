import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** One row of the table: what was measured against its target. */
export type Figure = { id: string; figure: string; value: string; target: string; verdict: 'met' | 'NOT met' | 'not measured' };

/** The table, in its order: run-all prints one line per id, "not measured" for any no scenario reported. */
export const FIGURE_ROWS: readonly { id: string; figure: string; target: string }[] = [
  { id: 'engine-3', figure: 'engine, 3 hosts × 20 steps: kubexms / raw ssh2 floor', target: '≤ 1.15 ×' },
  { id: 'engine-20', figure: 'engine, 20 hosts × 20 steps: kubexms / raw ssh2 floor', target: '≤ 1.15 ×' },
  { id: 'ansible-3', figure: 'Ansible / kubexms, 3 hosts', target: '≥ 50 ×' },
  { id: 'ansible-20', figure: 'Ansible / kubexms, 20 hosts', target: '≥ 50 ×' },
  { id: 'mitogen-3', figure: 'Ansible+Mitogen / kubexms, 3 hosts', target: '≥ 10 ×' },
  { id: 'mitogen-20', figure: 'Ansible+Mitogen / kubexms, 20 hosts', target: '≥ 10 ×' },
  { id: 'live-p95', figure: 'live view 200 × 40, 2,000 lines/s: event → cell p95', target: '≤ 100 ms' },
  { id: 'live-longtask', figure: 'longest main-thread task during that run', target: '≤ 50 ms' },
  { id: 'live-rss', figure: 'whole server peak RSS during that run (Next included)', target: '≤ 300 MB' },
  { id: 'scale', figure: 'scale: 2,000 hosts × 10 steps, concurrency 200, through the runner', target: 'completes, peak RSS ≤ 400 MB, ≤ 200 in flight' },
  { id: 'finished-page', figure: 'a finished 200 × 40 run page: navigation → grid interactive', target: '≤ 1 s' },
];

const file = () => process.env.KUBEXMS_BENCH_FIGURES;

/** Records a figure for run-all's summary (when it runs the scenario) and returns it for the scenario's own output. */
export function figure(id: string, value: string, met: boolean | null, size?: string): Figure {
  const row = FIGURE_ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`unknown figure ${id}`);
  const f: Figure = { id, figure: size ? `${row.figure} (${size})` : row.figure, value, target: row.target, verdict: met === null ? 'not measured' : met ? 'met' : 'NOT met' };
  const path = file();
  if (path) appendFileSync(path, `${JSON.stringify(f)}\n`);
  return f;
}

export function readFigures(path: string): Figure[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Figure);
}

/** Every row of the table, in order, with the figures recorded for it. */
export function figureRows(recorded: readonly Figure[]): string[][] {
  return FIGURE_ROWS.flatMap((row) => {
    const got = recorded.filter((f) => f.id === row.id);
    if (got.length === 0) return [[row.figure, '—', row.target, 'not measured']];
    return got.map((f) => [f.figure, f.value, f.target, f.verdict]);
  });
}
