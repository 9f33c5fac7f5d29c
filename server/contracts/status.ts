export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'skipped', 'failed', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const NODE_STATUSES = ['pending', 'running', 'succeeded', 'skipped', 'failed', 'failed-ignored', 'cancelled'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const FAILURE_KINDS = ['command', 'unreachable', 'auth', 'hostkey', 'timeout', 'cancelled', 'internal'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

type Table<S extends string> = Readonly<Record<S, readonly S[]>>;

export const STEP_TRANSITIONS: Table<StepStatus> = {
  pending: ['running', 'skipped', 'cancelled'],
  running: ['succeeded', 'skipped', 'failed', 'cancelled'],
  succeeded: [],
  skipped: [],
  failed: [],
  cancelled: [],
};

export const NODE_TRANSITIONS: Table<NodeStatus> = {
  pending: ['running', 'skipped', 'cancelled'],
  running: ['succeeded', 'failed', 'failed-ignored', 'cancelled'],
  succeeded: [],
  skipped: [],
  failed: [],
  'failed-ignored': [],
  cancelled: [],
};

export const RUN_TRANSITIONS: Table<RunStatus> = {
  queued: ['running', 'cancelled', 'interrupted'],
  running: ['succeeded', 'failed', 'cancelled', 'interrupted'],
  succeeded: [],
  failed: [],
  cancelled: [],
  interrupted: [],
};

export function canTransition<S extends string>(table: Table<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

export function isTerminal<S extends string>(table: Table<S>, status: S): boolean {
  return table[status].length === 0;
}
