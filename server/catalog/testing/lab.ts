import { ClusterSpec } from '../../contracts/cluster-spec';
import type { ClusterSpecDraft, Role } from '../../contracts/cluster-spec';
import { createClusterRuntime, runPipeline } from '../../engine';
import type { ClusterRuntime, ConnectorFactory, EngineEvent, LogEvent, RunOutcome, StepStatusEvent } from '../../engine';
import { runtimeHostsFromSpec } from '../common/hosts';
import type { KxPipeline, SpecHost } from '../common/types';
import { labControl } from '../../../e2e/hosts/fixture';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { labConnectorFactory } from './lab-connector';

export type LabSpecOptions = {
  /** roles per host, in host order; default: first host etcd + control-plane, the others etcd + worker */
  roles?: Role[][];
  /** SSH user: root (key), kxuser (password, sudo with password) or kxnopw (key, NOPASSWD sudo) */
  user?: 'root' | 'kxuser' | 'kxnopw';
  /** merged over the generated spec input before parsing (hosts excluded) */
  overrides?: Partial<Omit<ClusterSpecDraft, 'hosts'>>;
};

function userFields(h: LabHost, user: NonNullable<LabSpecOptions['user']>) {
  if (user === 'kxuser') {
    const { password } = h.users.kxuser;
    return { user, auth: { type: 'password' as const, password }, sudoPassword: password };
  }
  return { user, auth: { type: 'key' as const, privateKey: h.users[user].privateKey } };
}

/** A parsed ClusterSpec for lab hosts, pinned to their host-key fingerprints (root with the lab key unless `user` says otherwise). */
export function labSpec(hosts: readonly LabHost[], options: LabSpecOptions = {}): ClusterSpec {
  const defaultRoles = (i: number): Role[] => (i === 0 ? ['etcd', 'control-plane'] : ['etcd', 'worker']);
  return ClusterSpec.parse({
    name: 'lab',
    kubernetes: { version: 'v1.31.4' },
    ...options.overrides,
    hosts: hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      ...userFields(h, options.user ?? 'root'),
      hostKeyFingerprint: h.hostKeyFingerprint,
      roles: options.roles?.[i] ?? defaultRoles(i),
    })),
  });
}

export type LabRun = {
  outcome: RunOutcome;
  events: EngineEvent[];
  runtime: ClusterRuntime<ClusterSpec, SpecHost>;
  /** final status of every (step name, host) cell; a step name used in several tasks keeps the last */
  cells: Map<string, StepStatusEvent>;
  status(step: string, host: string): StepStatusEvent['status'] | undefined;
  /** every log line of a host (optionally of one step by name), in order, each ending with a newline */
  logs(host: string, step?: string): string;
};

export type RunOnLabOptions = {
  pipeline: KxPipeline;
  spec: ClusterSpec;
  connectorFor?: ConnectorFactory<SpecHost>;
  signal?: AbortSignal;
  runId?: string;
};

let runCounter = 0;

/** Runs a pipeline over the spec's hosts and collects every engine event. */
export async function runOnLab(options: RunOnLabOptions): Promise<LabRun> {
  const runtime = createClusterRuntime<ClusterSpec, SpecHost>({ spec: options.spec, hosts: runtimeHostsFromSpec(options.spec) });
  const events: EngineEvent[] = [];
  const outcome = await runPipeline({
    runId: options.runId ?? `lab-${process.pid}-${++runCounter}`,
    pipeline: options.pipeline,
    runtime,
    connectorFor: options.connectorFor ?? labConnectorFactory(),
    signal: options.signal,
    onEvent: (e) => void events.push(e),
  });
  const cells = new Map<string, StepStatusEvent>();
  const stepNames = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'step.status') continue;
    cells.set(`${e.step}\u0000${e.host}`, e);
    stepNames.set(e.stepId, e.step);
  }
  const logs = (host: string, step?: string) =>
    events
      .filter((e): e is LogEvent => e.type === 'log' && e.host === host && (step === undefined || (e.stepId !== null && stepNames.get(e.stepId) === step)))
      .map((e) => `${e.text}\n`)
      .join('');
  return { outcome, events, runtime, cells, status: (step, host) => cells.get(`${step}\u0000${host}`)?.status, logs };
}

/** Runs a command inside lab host `index` (nsenter, not SSH: an independent view of the host) and returns stdout; non-zero exit throws. */
export async function labExec(index: number, command: string): Promise<string> {
  const r = await labControl.exec(index, command);
  if (r.code !== 0) throw new Error(`lab exec on n${index} failed (exit ${r.code}): ${command}\n${r.stderr}`);
  return r.stdout;
}
