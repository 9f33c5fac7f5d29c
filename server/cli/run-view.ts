import type { ConnectProgress, RunEvent, RunFailure } from '../contracts/run-events';
import type { RunPlan, RunSnapshot } from '../contracts/run-types';
import { STEP_STATUSES, type RunStatus, type StepStatus } from '../contracts/status';

/** `connecting` while the host's running step waits for its SSH connection (attempt n of m, gives up at …) */
export type HostState = { host: string; step: string | null; status: StepStatus | 'waiting'; connecting?: ConnectProgress };
export type Failure = { host: string | null; step: string | null; failure: RunFailure };
/** `quiet`: only connection progress of a first attempt (a plain log prints retries and the connection after one) */
export type Change = { kind: 'host'; state: HostState; quiet?: true } | { kind: 'failure'; failure: Failure } | { kind: 'run' };
export type Counts = Record<StepStatus, number>;

const key = (stepId: string, host: string) => `${stepId}\u0000${host}`;
/** "Task › Step", or the step alone when the task has its name */
const stepLabel = (task: string | undefined, step: string) => (task && task !== step ? `${task} › ${step}` : step);

/** A run as the terminal shows it: each host's current step, cell counters and failures, built from run events. */
export class RunView {
  status: RunStatus = 'queued';
  reason: string | null = null;
  failure: RunFailure | null = null;
  hosts: string[] = [];
  readonly hostState = new Map<string, HostState>();
  readonly failures: Failure[] = [];
  readonly #cells = new Map<string, StepStatus>();
  #taskNames = new Map<string, string>();
  #stepNames = new Map<string, string>();

  constructor(
    readonly runId: number,
    public pipeline: string,
    plan: RunPlan | null,
    hosts: readonly string[],
  ) {
    this.hosts = [...hosts];
    for (const h of hosts) this.hostState.set(h, { host: h, step: null, status: 'waiting' });
    if (plan) this.#seed(plan);
  }

  #seed(plan: RunPlan) {
    for (const m of plan.modules)
      for (const t of m.tasks) {
        this.#taskNames.set(t.id, t.name);
        for (const s of t.steps) {
          this.#stepNames.set(s.id, stepLabel(t.name, s.name));
          for (const h of t.hosts) this.#cells.set(key(s.id, h), 'pending');
        }
      }
  }

  get total(): number {
    return this.#cells.size;
  }

  counts(): Counts {
    const out = Object.fromEntries(STEP_STATUSES.map((s) => [s, 0])) as Counts;
    for (const s of this.#cells.values()) out[s] += 1;
    return out;
  }

  fromSnapshot(s: RunSnapshot): void {
    this.status = s.run.status;
    this.reason = s.run.statusReason;
    if (s.plan) this.#seed(s.plan);
    for (const c of s.connecting ?? []) {
      this.hostState.set(c.host, { host: c.host, step: this.#stepNames.get(c.stepId) ?? c.stepId, status: 'running', connecting: c.connecting });
    }
    for (const c of s.cells) {
      this.#cells.set(key(c.stepId, c.host), c.status);
      if (c.status === 'failed' && c.errorKind) {
        const failure = { kind: c.errorKind, message: c.errorMessage ?? '', exitCode: c.exitCode, stderrTail: c.stderrTail ?? '' };
        this.failures.push({ host: c.host, step: c.stepId, failure });
      }
    }
  }

  apply(e: RunEvent): Change[] {
    if (e.type === 'run.status') {
      this.status = e.status;
      this.pipeline = e.pipeline;
      this.reason = e.reason ?? null;
      const changes: Change[] = [{ kind: 'run' }];
      if (e.failure && !this.failures.some((f) => f.failure.message === e.failure?.message)) {
        this.failure = e.failure;
        const failure = { host: null, step: null, failure: e.failure };
        this.failures.push(failure);
        changes.push({ kind: 'failure', failure });
      } else if (e.failure) this.failure = e.failure;
      return changes;
    }
    if (e.type === 'step.connecting') {
      const prev = this.hostState.get(e.host);
      if (prev?.status !== 'running') return [];
      const { connecting: was, ...rest } = prev;
      const state: HostState = e.connecting ? { ...rest, connecting: e.connecting } : rest;
      this.hostState.set(e.host, state);
      const retried = (e.connecting?.attempt ?? 1) > 1 || (was?.attempt ?? 1) > 1;
      return [retried ? { kind: 'host', state } : { kind: 'host', state, quiet: true }];
    }
    if (e.type !== 'step.status') return [];
    this.#cells.set(key(e.stepId, e.host), e.status);
    const step = stepLabel(this.#taskNames.get(e.taskId), e.step);
    if (!this.hostState.has(e.host)) this.hosts.push(e.host);
    const prev = this.hostState.get(e.host);
    // A cancelled step that never started does not replace what the host last did.
    const state: HostState = { host: e.host, step, status: e.status };
    if (!(e.status === 'cancelled' && prev?.status === 'failed')) this.hostState.set(e.host, state);
    const changes: Change[] = [{ kind: 'host', state }];
    if (e.status === 'failed' && e.failure) {
      const failure = { host: e.host, step, failure: e.failure };
      this.failures.push(failure);
      changes.push({ kind: 'failure', failure });
    }
    return changes;
  }
}
