import type { CompareSide } from '@/server/contracts/run-api';
import type { StepStatus } from '@/server/contracts/status';

export type SideCell = { status: StepStatus; ms: number | null };
export type CompareCell = { host: string; a: SideCell | null; b: SideCell | null; change: 'same' | 'status' | 'slower' | 'faster' | 'only-a' | 'only-b' };
export type CompareRow = { path: string; cells: CompareCell[]; onlyIn: 'a' | 'b' | null };
export type Comparison = { hosts: string[]; hostsOnlyIn: { a: string[]; b: string[] }; rows: CompareRow[]; counts: Record<CompareCell['change'], number> };

type StepInfo = { path: string; hosts: string[]; stepId: string };

// steps are matched by their names (module / task / step), since ids shift when a pipeline gains a task
function stepsOf(side: CompareSide): StepInfo[] {
  return (side.plan?.modules ?? []).flatMap((m) => m.tasks.flatMap((t) => t.steps.map((s) => ({ path: `${m.name} / ${t.name} / ${s.name}`, hosts: t.hosts, stepId: s.id }))));
}

function cellsOf(side: CompareSide): Map<string, SideCell> {
  return new Map(side.cells.map((c) => [`${c.stepId}|${c.host}`, { status: c.status, ms: c.startedAt !== null && c.endedAt !== null ? c.endedAt - c.startedAt : null }]));
}

/** Step × host side by side: status changes, and durations that moved by more than `thresholdMs` and by more than 20%. */
export function compareRuns(a: CompareSide, b: CompareSide, thresholdMs: number): Comparison {
  const sa = stepsOf(a);
  const sb = stepsOf(b);
  const ca = cellsOf(a);
  const cb = cellsOf(b);
  const byPathA = new Map(sa.map((s) => [s.path, s]));
  const byPathB = new Map(sb.map((s) => [s.path, s]));
  const hostsA = a.plan?.hosts ?? a.run.hosts;
  const hostsB = b.plan?.hosts ?? b.run.hosts;
  const hosts = [...new Set([...hostsA, ...hostsB])];
  const counts = { same: 0, status: 0, slower: 0, faster: 0, 'only-a': 0, 'only-b': 0 };
  const paths = [...new Set([...sa.map((s) => s.path), ...sb.map((s) => s.path)])];
  const rows = paths.map((path): CompareRow => {
    const pa = byPathA.get(path);
    const pb = byPathB.get(path);
    const cells = hosts.flatMap((host): CompareCell[] => {
      const inA = pa?.hosts.includes(host) ?? false;
      const inB = pb?.hosts.includes(host) ?? false;
      if (!inA && !inB) return [];
      const x = inA ? ca.get(`${pa!.stepId}|${host}`) ?? { status: 'pending' as const, ms: null } : null;
      const y = inB ? cb.get(`${pb!.stepId}|${host}`) ?? { status: 'pending' as const, ms: null } : null;
      let change: CompareCell['change'] = !x ? 'only-b' : !y ? 'only-a' : x.status !== y.status ? 'status' : 'same';
      if (change === 'same' && x?.ms != null && y?.ms != null) {
        const d = y.ms - x.ms;
        if (Math.abs(d) > thresholdMs && Math.abs(d) > 0.2 * Math.min(x.ms, y.ms)) change = d > 0 ? 'slower' : 'faster';
      }
      counts[change]++;
      return [{ host, a: x, b: y, change }];
    });
    return { path, cells, onlyIn: pa && pb ? null : pa ? 'a' : 'b' };
  });
  return { hosts, hostsOnlyIn: { a: hostsA.filter((h) => !hostsB.includes(h)), b: hostsB.filter((h) => !hostsA.includes(h)) }, rows, counts };
}
