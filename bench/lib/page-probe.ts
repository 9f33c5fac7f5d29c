export type PageChange = [host: string, step: string, status: string, at: number];
/** a step.status event as it arrived on the socket: host, step, status, arrival (page clock), engine ts */
export type Arrival = [host: string, step: string, status: string, at: number, ts: number];
export type ProbeResult = { changes: PageChange[]; arrivals: Arrival[]; longest: number; longTasks: number; longestAll: number };

/** Runs in the page before any app script: cell status changes as the DOM commits them (wall clock), and long tasks. */
export const probeScript = `(() => {
  const kx = (window.__kx = { changes: [], arrivals: [], longest: 0, longTasks: 0, longestAll: 0, armed: false, last: new Map() });
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      // registered before socket.io's own handler, so this is the arrival time
      this.addEventListener('message', (m) => {
        if (!kx.armed || typeof m.data !== 'string' || !m.data.includes('step.status')) return;
        const now = Date.now();
        try {
          const body = JSON.parse(m.data.slice(m.data.indexOf('[')));
          for (const e of body[1]?.events ?? []) if (e.type === 'step.status') kx.arrivals.push([e.host, e.step, e.status, now, e.ts]);
        } catch {}
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      kx.longestAll = Math.max(kx.longestAll, e.duration);
      if (kx.armed) { kx.longest = Math.max(kx.longest, e.duration); kx.longTasks += 1; }
    }
  }).observe({ type: 'longtask', buffered: true });
  const seen = (el, now) => {
    const d = el.dataset;
    if (!d || d.status === undefined || d.host === undefined) return;
    const key = d.host + '\\u0000' + d.step;
    if (kx.last.get(key) === d.status) return;
    kx.last.set(key, d.status);
    if (kx.armed) kx.changes.push([d.host, d.step, d.status, now]);
  };
  new MutationObserver((records) => {
    const now = Date.now();
    for (const r of records) {
      if (r.type === 'attributes') seen(r.target, now);
      else for (const n of r.addedNodes) if (n.nodeType === 1) { seen(n, now); n.querySelectorAll?.('[data-status]').forEach((c) => seen(c, now)); }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  kx.arm = () => { kx.armed = true; };
})();`;

export const collectProbe = `(() => { const k = window.__kx; return { changes: k.changes, arrivals: k.arrivals, longest: k.longest, longTasks: k.longTasks, longestAll: k.longestAll }; })()`;

/** Navigation → first grid cell, and the long tasks of the load (page clock, from navigation start). */
export const loadProbeScript = `(() => {
  const k = (window.__kxLoad = { firstCell: null, tasks: [] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) k.tasks.push([e.startTime, e.startTime + e.duration]); }).observe({ type: 'longtask', buffered: true });
  const mo = new MutationObserver(() => {
    if (k.firstCell === null && document.querySelector('[data-testid="run-grid"] [data-status]')) { k.firstCell = performance.now(); mo.disconnect(); }
  });
  mo.observe(document, { subtree: true, childList: true });
})();`;

export type LoadProbe = { firstCell: number | null; tasks: [start: number, end: number][] };

export const collectLoadProbe = `(() => window.__kxLoad)()`;

/**
 * "Grid interactive", in the spirit of Lighthouse's time to interactive: the first grid cell is in the DOM and the
 * main thread then has a quiet window (no long task starting within `quietMs`); the end of the last long task before it.
 */
export function interactiveAt(p: LoadProbe, quietMs = 500): number | null {
  if (p.firstCell === null) return null;
  let t = p.firstCell;
  for (const [start, end] of [...p.tasks].sort((a, b) => a[0] - b[0])) if (start < t + quietMs) t = Math.max(t, end);
  return t;
}
