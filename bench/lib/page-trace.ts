/** Chromium trace categories: top-level tasks, what the renderer did in them (script, style, layout, paint, GC), V8 samples. */
export const TRACE_CATEGORIES = [
  'toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; id?: string; args?: Record<string, unknown> };
type ProfileNode = { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } };
type Chunk = { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };

const TASKS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/**
 * What the page's long tasks (> `longMs`) were made of, from a Chromium trace: the renderer main thread's trace events by
 * self time (FunctionCall, UpdateLayoutTree, Layout, Paint, GC…) and the V8 samples taken inside them by self and by
 * total time (function url:line:col, so minified frames can be looked up in the chunk).
 */
export function longTaskReport(trace: { traceEvents: TraceEvent[] } | TraceEvent[], longMs = 50, top = 20): string[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain');
  // the page's renderer: the main thread with the most script
  const busy = new Map<string, number>();
  for (const e of events) if (e.name === 'FunctionCall' && e.dur) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const main = mains.map((m) => `${m.pid}:${m.tid}`).sort((a, b) => (busy.get(b) ?? 0) - (busy.get(a) ?? 0))[0];
  if (!main) return ['no renderer main thread in the trace'];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  let end = -1;
  // outermost tasks only (a RunTask can hold another)
  const long = onMain.filter((e) => TASKS.has(e.name) && e.ts >= end && ((end = e.ts + e.dur!), true) && e.dur! > longMs * 1000);
  // self time per event name inside long tasks: a stack of open events, each child's time taken from its parent
  const self = new Map<string, number>();
  let li = 0;
  const stack: { e: TraceEvent; child: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= until) {
      const { e, child } = stack.pop()!;
      self.set(e.name, (self.get(e.name) ?? 0) + e.dur! - child);
      if (stack.length) stack[stack.length - 1]!.child += e.dur!;
    }
  };
  for (const e of onMain) {
    while (li < long.length && long[li]!.ts + long[li]!.dur! <= e.ts) li++;
    const task = long[li];
    if (!task || e.ts < task.ts) continue;
    close(e.ts);
    stack.push({ e, child: 0 });
  }
  close(Infinity);
  const total = long.reduce((a, e) => a + e.dur!, 0);
  // wall time (what the longtask API reports) against the thread's CPU time: the gap is the thread waiting for a core
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const ms = (us: number) => (us / 1000).toFixed(0);
  const cpuLong = tasks.filter((e) => (e.tdur ?? 0) > longMs * 1000);
  const lines = [
    `long tasks (> ${longMs} ms) on the page's main thread: ${long.length}, ${ms(total)} ms in all, longest ${ms(long.reduce((a, e) => Math.max(a, e.dur!), 0))} ms`,
    `the same by the thread's CPU time: ${cpuLong.length} tasks > ${longMs} ms, longest ${ms(tasks.reduce((a, e) => Math.max(a, e.tdur ?? 0), 0))} ms; ` +
      `all tasks: ${ms(tasks.reduce((a, e) => a + e.dur!, 0))} ms wall, ${ms(tasks.reduce((a, e) => a + (e.tdur ?? 0), 0))} ms CPU`,
    'trace events by self time inside them:',
    ...[...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`),
  ];
  lines.push(...sampleReport(events, main, long, top));
  return lines;
}

function sampleReport(events: TraceEvent[], main: string, long: TraceEvent[], top: number): string[] {
  const [pid] = main.split(':').map(Number);
  const profiles = new Map<string, { start: number; tid: number }>();
  for (const e of events) if (e.name === 'Profile' && e.pid === pid) profiles.set(e.id ?? '', { start: (e.args as { data: { startTime: number } }).data.startTime, tid: e.tid });
  const nodes = new Map<number, ProfileNode>();
  const samples: { at: number; node: number }[] = [];
  const clock = new Map<string, number>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || !profiles.has(e.id ?? '')) continue;
    const data = (e.args as { data: Chunk }).data;
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    let t = clock.get(e.id ?? '') ?? profiles.get(e.id ?? '')!.start;
    (data.cpuProfile?.samples ?? []).forEach((s, i) => {
      t += data.timeDeltas?.[i] ?? 0;
      samples.push({ at: t, node: s });
    });
    clock.set(e.id ?? '', t);
  }
  if (samples.length === 0) return ['no V8 samples in the trace'];
  samples.sort((a, b) => a.at - b.at);
  const inLong: number[] = [];
  let li = 0;
  for (const s of samples) {
    while (li < long.length && long[li]!.ts + long[li]!.dur! < s.at) li++;
    if (long[li] && s.at >= long[li]!.ts) inLong.push(s.node);
  }
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${(n.callFrame.url ?? '').split('/').slice(-1)[0] ?? ''}:${(n.callFrame.lineNumber ?? -1) + 1}:${(n.callFrame.columnNumber ?? -1) + 1}`;
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  for (const id of inLong) {
    const n = nodes.get(id);
    if (!n) continue;
    selfBy.set(name(n), (selfBy.get(name(n)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let p: ProfileNode | undefined = n; p; p = p.parent === undefined ? undefined : nodes.get(p.parent)) seen.add(name(p));
    for (const k of seen) totalBy.set(k, (totalBy.get(k) ?? 0) + 1);
  }
  const fmtTop = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => `${((100 * c) / inLong.length).toFixed(1).padStart(6)}%  ${k}`);
  return [`V8 samples inside long tasks: ${inLong.length} of ${samples.length}`, 'by self:', ...fmtTop(selfBy), 'by total (function and what it called):', ...fmtTop(totalBy)];
}
