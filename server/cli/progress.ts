import type { RunEvent } from '../contracts/run-events';
import type { RunInfo } from '../contracts/run-types';
import type { Change, Failure, HostState, RunView } from './run-view';

export type Out = { write: (s: string) => unknown; isTTY?: boolean; columns?: number };

export type Renderer = {
  events: (view: RunView, events: RunEvent[], changes: Change[]) => void;
  /** the run ended: final info as stored */
  end: (view: RunView, info: RunInfo) => void;
};

export const SYMBOL: Record<HostState['status'], string> = {
  waiting: '·',
  pending: '·',
  running: '●',
  succeeded: '✓',
  skipped: '↷',
  failed: '✗',
  cancelled: '⊘',
};

const seconds = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`);

export function summaryLine(view: RunView, elapsedMs: number | null): string {
  const c = view.counts();
  const done = c.succeeded + c.skipped + c.failed + c.cancelled;
  const parts = [`${c.succeeded} succeeded`, `${c.skipped} skipped`, `${c.failed} failed`];
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  if (c.running) parts.push(`${c.running} running`);
  const time = elapsedMs === null ? '' : `, ${seconds(elapsedMs)}`;
  return `run #${view.runId} ${view.pipeline}: ${view.status}${view.reason && view.status === 'queued' ? ` (${view.reason})` : ''} — ${done}/${view.total} steps: ${parts.join(', ')}${time}`;
}

export function failureLines(f: Failure): string[] {
  const where = f.host ? `${f.host} / ${f.step ?? '?'}` : 'run';
  const code = f.failure.exitCode === null ? '' : ` exit ${f.failure.exitCode}`;
  const lines = [`✗ ${where}: ${f.failure.kind}${code}: ${f.failure.message}`];
  const tail = f.failure.stderrTail.trimEnd();
  if (tail) lines.push(...tail.split('\n').slice(-10).map((l) => `    │ ${l}`));
  return lines;
}

/** "connecting (attempt 2 of 3, gives up at 10:42:07; last: no route to host)": a silent host is not a spinner */
export function connectingText(c: NonNullable<HostState['connecting']>): string {
  const at = new Date(c.givesUpAt).toTimeString().slice(0, 8);
  return `connecting (attempt ${c.attempt} of ${c.attempts}, gives up at ${at}${c.previousError ? `; last: ${c.previousError}` : ''})`;
}

function hostLine(h: HostState, width: number, columns: number): string {
  const line = `  ${h.host.padEnd(width)}  ${SYMBOL[h.status]} ${h.status.padEnd(9)} ${h.step ?? ''}${h.connecting ? ` — ${connectingText(h.connecting)}` : ''}`;
  return line.length > columns ? `${line.slice(0, columns - 1)}…` : line;
}

function finalLines(view: RunView, info: RunInfo): string[] {
  const took = info.startedAt && info.endedAt ? info.endedAt - info.startedAt : null;
  const lines = [summaryLine(view, took)];
  if (view.failures.length) lines.push('failures:', ...view.failures.map((f) => `  ${failureLines(f)[0] ?? ''}`));
  if (view.failures.some((f) => f.failure.kind === 'hostkey')) {
    lines.push('hint: a host key is not accepted or changed. For a new host, check the fingerprint and rerun with --accept-new-host-keys (or set hostKeyFingerprint in the file); a changed key is never accepted automatically.');
  }
  if (view.status === 'interrupted' && info.statusReason) lines.push(`interrupted: ${info.statusReason}`);
  return lines;
}

/** Not a TTY: one appended line per host change and per failure, the summary at the end. */
export function plainRenderer(out: Out): Renderer {
  let width = 0;
  return {
    events: (view, _events, changes) => {
      width = Math.max(width, ...view.hosts.map((h) => h.length));
      for (const c of changes) {
        if (c.kind === 'host') {
          if (c.state.status !== 'pending' && !c.quiet) out.write(`${hostLine(c.state, width, 10_000)}\n`);
        } else if (c.kind === 'failure') out.write(`${failureLines(c.failure).join('\n')}\n`);
        else if (view.status === 'queued' && view.reason) out.write(`  queued: ${view.reason}\n`);
      }
    },
    end: (view, info) => out.write(`${finalLines(view, info).join('\n')}\n`),
  };
}

/** A TTY: the host lines and the summary are redrawn in place (at most every 100 ms); failures scroll above them. */
export function ttyRenderer(out: Out, now: () => number = Date.now): Renderer {
  const started = now();
  let drawn = 0;
  let timer: NodeJS.Timeout | null = null;
  let last: RunView | null = null;
  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    timer = null;
    if (!last) return;
    const view = last;
    const columns = out.columns || 100;
    const width = Math.max(...view.hosts.map((h) => h.length), 4);
    const lines = [...view.hosts.map((h) => hostLine(view.hostState.get(h) ?? { host: h, step: null, status: 'waiting' }, width, columns)), summaryLine(view, now() - started)];
    clear();
    out.write(`${lines.map((l) => (l.length > columns ? l.slice(0, columns - 1) : l)).join('\n')}\n`);
    drawn = lines.length;
  };
  const ticker = setInterval(() => last && !timer && (timer = setTimeout(draw, 0)), 1000);
  ticker.unref();
  return {
    events: (view, _events, changes) => {
      last = view;
      const failures = changes.filter((c) => c.kind === 'failure');
      if (failures.length) {
        clear();
        for (const f of failures) out.write(`${failureLines(f.failure).join('\n')}\n`);
        draw();
      }
      timer ??= setTimeout(draw, 100);
    },
    end: (view, info) => {
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      clear();
      const columns = out.columns || 100;
      const width = Math.max(...view.hosts.map((h) => h.length), 4);
      for (const h of view.hosts) out.write(`${hostLine(view.hostState.get(h) ?? { host: h, step: null, status: 'waiting' }, width, columns)}\n`);
      out.write(`${finalLines(view, info).join('\n')}\n`);
    },
  };
}

/** --output json: each run event as one JSON line; the caller ends with a result line. */
export function jsonRenderer(out: Out): Renderer {
  return {
    events: (_view, events) => {
      for (const e of events) out.write(`${JSON.stringify(e)}\n`);
    },
    end: () => undefined,
  };
}
