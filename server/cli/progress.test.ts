import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../contracts/run-events';
import { emptySummary, type RunInfo, type RunPlan } from '../contracts/run-types';
import { jsonRenderer, plainRenderer, ttyRenderer, type Renderer } from './progress';
import { RunView } from './run-view';

const plan: RunPlan = {
  pipeline: 'preflightOnly',
  hosts: ['n1', 'n2'],
  cellCount: 4,
  modules: [
    {
      id: '0',
      index: 0,
      name: 'Preflight',
      tasks: [
        { id: '0.0', index: 0, name: 'Memory', hosts: ['n1', 'n2'], ignoreError: false, concurrency: 10, steps: [{ id: '0.0.0', index: 0, name: 'Check memory' }] },
        { id: '0.1', index: 1, name: 'Preflight report', hosts: ['n1', 'n2'], ignoreError: false, concurrency: 10, steps: [{ id: '0.1.0', index: 0, name: 'Preflight report' }] },
      ],
    },
  ],
};
let seq = 0;
const base = () => ({ runId: 7, seq: ++seq, ts: 0 });
const step = (stepId: string, host: string, status: 'running' | 'succeeded' | 'failed' | 'cancelled', failure: null | { exitCode: number; stderrTail: string } = null): RunEvent => ({
  ...base(),
  type: 'step.status',
  moduleId: '0',
  taskId: stepId.slice(0, 3),
  stepId,
  step: stepId === '0.0.0' ? 'Check memory' : 'Preflight report',
  host,
  status,
  attempt: 1,
  startedAt: null,
  endedAt: null,
  exitCode: failure?.exitCode ?? null,
  failure: failure ? { kind: 'command', message: 'Memory: 900 MiB (expected >= 1024 MiB)', ...failure } : null,
});
const events: RunEvent[] = [
  { ...base(), type: 'run.status', pipeline: 'preflightOnly', status: 'running', failure: null },
  step('0.0.0', 'n1', 'running'),
  step('0.0.0', 'n2', 'running'),
  step('0.0.0', 'n1', 'succeeded'),
  step('0.0.0', 'n2', 'failed', { exitCode: 3, stderrTail: 'line one\nline two\n' }),
  step('0.1.0', 'n1', 'cancelled'),
  step('0.1.0', 'n2', 'cancelled'),
  { ...base(), type: 'run.status', pipeline: 'preflightOnly', status: 'failed', failure: { kind: 'command', message: 'Memory: 900 MiB (expected >= 1024 MiB)', exitCode: 3, stderrTail: '' } },
];
const info = { ...({} as RunInfo), id: 7, status: 'failed', startedAt: 1000, endedAt: 5000, statusReason: null, summary: emptySummary() } as RunInfo;

function play(make: (out: { write: (s: string) => void; isTTY?: boolean; columns?: number }) => Renderer, tty = false): { text: string; view: RunView } {
  let text = '';
  const out = { write: (s: string) => void (text += s), isTTY: tty, columns: 80 };
  const r = make(out);
  const view = new RunView(7, 'preflightOnly', plan, plan.hosts);
  for (const e of events) r.events(view, [e], view.apply(e));
  r.end(view, info);
  return { text, view };
}

test('the view: current step per host, counters over the plan cells, the failure once', () => {
  const { view } = play(plainRenderer);
  assert.equal(view.total, 4);
  assert.deepEqual(view.counts(), { pending: 0, running: 0, succeeded: 1, skipped: 0, failed: 1, cancelled: 2 });
  assert.deepEqual(view.hostState.get('n1'), { host: 'n1', step: 'Preflight report', status: 'cancelled' });
  assert.deepEqual(view.hostState.get('n2'), { host: 'n2', step: 'Memory › Check memory', status: 'failed' }, 'a cancelled step after a failure keeps the failure shown');
  assert.equal(view.failures.length, 1);
  assert.equal(view.status, 'failed');
});

test('plain output: one appended line per host change, the failure with host, step, exit code and stderr tail, then the summary', () => {
  const { text } = play(plainRenderer);
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 4), ['  n1  ● running   Memory › Check memory', '  n2  ● running   Memory › Check memory', '  n1  ✓ succeeded Memory › Check memory', '  n2  ✗ failed    Memory › Check memory']);
  assert.ok(lines.includes('✗ n2 / Memory › Check memory: command exit 3: Memory: 900 MiB (expected >= 1024 MiB)'), text);
  assert.ok(lines.includes('    │ line two'), text);
  assert.ok(lines.includes('run #7 preflightOnly: failed — 4/4 steps: 1 succeeded, 0 skipped, 1 failed, 2 cancelled, 4s'), text);
});

test('a TTY redraws the host block in place and ends with the final lines', () => {
  const { text } = play(ttyRenderer, true);
  assert.match(text, /\x1b\[\d+A\x1b\[0J/, 'moves up and clears to redraw');
  const tail = text.slice(text.lastIndexOf('\x1b[0J') + 4);
  assert.match(tail, /^ {2}n1 +⊘ cancelled Preflight report\n {2}n2 +✗ failed +Memory › Check memory\nrun #7 preflightOnly: failed/);
});

test('json: every event as one parseable line, in seq order', () => {
  const { text } = play(jsonRenderer);
  const parsed = text.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent);
  assert.deepEqual(parsed.map((e) => e.seq), events.map((e) => e.seq));
});

test('a host waiting for its connection says so, with the attempt and when it gives up; a plain log prints it from the second attempt on', () => {
  const givesUpAt = Date.UTC(2026, 11, 7, 10, 42, 7);
  const connecting = (attempt: number, previousError: string | null): RunEvent => ({
    ...base(), type: 'step.connecting', moduleId: '0', taskId: '0.0', stepId: '0.0.0', host: 'n2', connecting: { attempt, attempts: 3, givesUpAt, previousError },
  });
  const connected: RunEvent = { ...base(), type: 'step.connecting', moduleId: '0', taskId: '0.0', stepId: '0.0.0', host: 'n2', connecting: null };
  const at = new Date(givesUpAt).toTimeString().slice(0, 8);
  const view = new RunView(7, 'preflightOnly', plan, plan.hosts);
  let text = '';
  const r = plainRenderer({ write: (s: string) => void (text += s) });
  for (const e of [step('0.0.0', 'n2', 'running'), connecting(1, null), connecting(2, 'no route to host'), connected]) r.events(view, [e], view.apply(e));
  assert.deepEqual(text.trimEnd().split('\n'), [
    '  n2  ● running   Memory › Check memory',
    `  n2  ● running   Memory › Check memory — connecting (attempt 2 of 3, gives up at ${at}; last: no route to host)`,
    '  n2  ● running   Memory › Check memory',
  ]);
  assert.deepEqual(view.hostState.get('n2'), { host: 'n2', step: 'Memory › Check memory', status: 'running' });
  // a connecting event for a host whose step is no longer running changes nothing
  view.apply(step('0.0.0', 'n2', 'failed', { exitCode: 255, stderrTail: '' }));
  assert.deepEqual(view.apply(connecting(3, 'timeout')), []);

  // the terminal view attached to a run in progress starts from the snapshot's connecting cells
  const fresh = new RunView(7, 'preflightOnly', null, plan.hosts);
  fresh.fromSnapshot({ run: { ...info, status: 'running' }, plan, cells: [], logTail: [], seq: 9, connecting: [{ stepId: '0.0.0', host: 'n1', connecting: { attempt: 1, attempts: 3, givesUpAt, previousError: null } }] });
  assert.equal(fresh.hostState.get('n1')?.connecting?.attempt, 1);
  assert.equal(fresh.hostState.get('n1')?.step, 'Memory › Check memory');
});
