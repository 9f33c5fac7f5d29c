import type { ClusterSpec, Host as SpecHost } from '../contracts/cluster-spec';
import type { InstallModule } from '../contracts/run-phases';
import type { RunOptions } from '../contracts/run-types';
import { isTerminal, RUN_TRANSITIONS } from '../contracts/status';
import type { Db } from '../db/client';
import { createClusterRuntime, runPipeline, type ClusterRuntime, type ConnectorFactory, type Host, type Logger, type RunOutcome } from '../engine';
import { ServiceError, notFound } from '../errors';
import { RunBus } from './bus';
import { HostQueue } from './host-queue';
import { prepareRun, type PreparedRun } from './prepare';
import { insertPlannedRun } from './cell-state';
import { Recorder } from './recorder';
import { markInterrupted } from './recover';
import type { Retention } from './retention';
import type { PipelineRegistry } from './registry';
import { readRunRow } from '../db/runs';

/** extraSecrets: other stored secrets of the cluster (e.g. the keys of its kubeconfig), redacted from output like the spec's */
export type LoadedCluster = { cluster: { id: number; name: string }; spec: ClusterSpec; hostKeys: Record<string, string | null>; extraSecrets?: readonly string[] };
/** `run.pipeline` is the registered name ('status', 'createCluster', …): connecting may depend on what the run is for. */
export type ConnectFn = (host: Host<SpecHost>, pinnedHostKey: string | null, run: { pipeline: string }) => ReturnType<ConnectorFactory<SpecHost>>;

/** What afterRun learns about the run that just ended (before its end is recorded). */
export type AfterRunInfo = { runId: number; pipeline: string; status: RunOutcome['status']; options: RunOptions };

export type RunnerDeps = {
  db: Db;
  registry: PipelineRegistry;
  loadCluster: (clusterId: number) => Promise<LoadedCluster>;
  connect: ConnectFn;
  logger?: Logger;
  /** refuses a run before any host is touched (e.g. an artifact version without a checksum); throw ServiceError */
  verify?: (spec: ClusterSpec, pipeline: string, options: RunOptions, clusterId: number) => Promise<void>;
  /** pipelines refused (CONFLICT), not queued, while another run holds or waits for any of their hosts */
  exclusive?: ReadonlySet<string>;
  /** runtime setup before the engine starts (catalog context) and what to keep after it ends (e.g. a kubeconfig) */
  beforeRun?: (runtime: ClusterRuntime<ClusterSpec, SpecHost>, clusterId: number) => void;
  afterRun?: (runtime: ClusterRuntime<ClusterSpec, SpecHost>, clusterId: number, run: AfterRunInfo) => void;
  /** swept after each run ends and every retentionEveryMs (default 1 h) */
  retention?: Retention;
  retentionEveryMs?: number;
  /** why live runs end interrupted when this runner stops (default: the server was stopped) */
  stoppedReason?: string;
};

export type NewRunInput = { loaded: LoadedCluster; spec: ClusterSpec; pipeline: string; options: RunOptions; parentRunId: number | null; createdBy: string | null };
export type StartRunInput = { clusterId: number; pipeline: string; onlyHosts?: string[] | undefined; nodes?: string[] | undefined; until?: InstallModule | undefined; backupId?: number | undefined; thenDelete?: true | undefined; createdBy?: string | null };

type Job = {
  runId: number;
  pipelineName: string;
  hosts: ReadonlyMap<string, string>;
  prepared: PreparedRun;
  spec: ClusterSpec;
  hostKeys: Record<string, string | null>;
  clusterId: number;
  options: RunOptions;
  recorder: Recorder;
  abort: AbortController;
  reason: string | null;
  done?: Promise<void>;
};

const STOPPED = 'the server was stopped during this run';

/** Queue of runs with per-host locks; drives the engine and records everything it emits. */
export class Runner {
  readonly bus = new RunBus();
  readonly #queue = new HostQueue<Job>();
  readonly #active = new Map<number, Job>();
  readonly #endWaiters = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  #stopped = false;
  readonly #retentionTimer: NodeJS.Timeout | null;

  constructor(private readonly deps: RunnerDeps) {
    const retention = deps.retention;
    this.#retentionTimer = retention ? setInterval(() => void retention.schedule(), deps.retentionEveryMs ?? 3_600_000) : null;
    this.#retentionTimer?.unref();
  }

  get registry(): PipelineRegistry {
    return this.deps.registry;
  }

  /** Call once at start, before anything can start a run. */
  recover(reasons?: { running: string; queued: string }): number[] {
    return markInterrupted(this.deps.db, this.bus, reasons);
  }

  isLive(runId: number): boolean {
    return this.#active.has(runId) || this.#queue.queued.some((j) => j.runId === runId);
  }

  /** Resolves once the run is no longer queued or running (at once if it is not); rejects when `signal` aborts first. */
  whenEnded(runId: number, signal?: AbortSignal): Promise<void> {
    if (!this.isLive(runId)) return Promise.resolve();
    let waiter = this.#endWaiters.get(runId);
    if (!waiter) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      waiter = { promise, resolve };
      this.#endWaiters.set(runId, waiter);
    }
    if (!signal) return waiter.promise;
    signal.throwIfAborted();
    return Promise.race([
      waiter.promise,
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`run #${runId} did not end: ${String(signal.reason)}`)), { once: true })),
    ]);
  }

  #ended(runId: number) {
    this.#endWaiters.get(runId)?.resolve();
    this.#endWaiters.delete(runId);
  }

  async start(input: StartRunInput): Promise<{ runId: number }> {
    const loaded = await this.deps.loadCluster(input.clusterId);
    const options: RunOptions = {
      ...(input.onlyHosts ? { onlyHosts: input.onlyHosts } : {}),
      ...(input.nodes ? { nodes: input.nodes } : {}),
      ...(input.until ? { until: input.until } : {}),
      ...(input.backupId !== undefined ? { backupId: input.backupId } : {}),
      ...(input.thenDelete ? { thenDelete: true as const } : {}),
    };
    return this.enqueue({ loaded, spec: loaded.spec, pipeline: input.pipeline, options, parentRunId: null, createdBy: input.createdBy ?? null });
  }

  loadCluster(clusterId: number): Promise<LoadedCluster> {
    return this.deps.loadCluster(clusterId);
  }

  /** Queued: ends cancelled at once. Running: aborts in-flight remote commands; the engine ends it cancelled. */
  cancel(runId: number): { status: 'cancelled' | 'cancelling' } {
    const queued = this.#queue.remove(runId);
    if (queued) {
      queued.recorder.finish('cancelled', queued.pipelineName, 'cancelled before it started');
      this.#ended(runId);
      this.#schedule();
      return { status: 'cancelled' };
    }
    const active = this.#active.get(runId);
    if (active) {
      active.abort.abort();
      return { status: 'cancelling' };
    }
    const row = readRunRow(this.deps.db, runId);
    if (!row) throw notFound(`run #${runId}`);
    throw new ServiceError('CONFLICT', `run #${runId} is not running (${row.status})`);
  }

  /** SIGTERM: records every live run as interrupted (flushed), then aborts their commands and waits a little for them to settle. */
  async stop(graceMs = 3000): Promise<void> {
    this.#stopped = true;
    if (this.#retentionTimer) clearInterval(this.#retentionTimer);
    this.deps.retention?.stop();
    for (const job of [...this.#queue.queued, ...this.#active.values()]) job.recorder.finish('interrupted', job.pipelineName, this.deps.stoppedReason ?? STOPPED);
    for (const job of this.#queue.queued) this.#ended(job.runId);
    for (const job of this.#active.values()) job.abort.abort();
    const settled = Promise.all([...this.#active.values()].map((j) => j.done));
    await Promise.race([settled, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  /** Queues a run of `pipeline` on `spec` (the cluster's, or a parent run's snapshot with the secrets merged back). */
  async enqueue({ loaded, spec, pipeline: pipelineName, options, parentRunId, createdBy }: NewRunInput): Promise<{ runId: number }> {
    if (this.#stopped) throw new ServiceError('PRECONDITION_FAILED', 'the server is stopping');
    const prepared = prepareRun(this.deps.registry, pipelineName, spec, options, loaded.extraSecrets);
    this.#refuseIfBusy(pipelineName, prepared);
    await this.deps.verify?.(spec, pipelineName, options, loaded.cluster.id);
    this.#refuseIfBusy(pipelineName, prepared);
    if (this.#stopped) throw new ServiceError('PRECONDITION_FAILED', 'the server is stopping');
    const { runId, cells } = insertPlannedRun(this.deps.db, {
      cluster: loaded.cluster,
      pipeline: pipelineName,
      spec,
      plan: prepared.plan,
      hosts: prepared.touched,
      options,
      parentRunId,
      createdBy,
    });
    const recorder = new Recorder({ db: this.deps.db, bus: this.bus, runId, lastSeq: 0, cells, plan: prepared.plan, redact: prepared.redact, ...(this.deps.logger ? { logger: this.deps.logger } : {}) });
    const job: Job = { runId, pipelineName, hosts: prepared.identities, prepared, spec, hostKeys: loaded.hostKeys, clusterId: loaded.cluster.id, options, recorder, abort: new AbortController(), reason: null };
    this.bus.changed(runId);
    this.#queue.enqueue(job);
    this.#schedule();
    return { runId };
  }

  #refuseIfBusy(pipelineName: string, prepared: PreparedRun) {
    if (!this.deps.exclusive?.has(pipelineName)) return;
    const busy = this.#queue.busy(prepared.identities);
    if (busy.length === 0) return;
    const runs = busy.map(({ runId, hosts }) => `run #${runId} (${hosts.join(', ')})`).join('; ');
    throw new ServiceError('CONFLICT', `${pipelineName} needs every host to itself, but ${runs} holds or waits for them; let it end or cancel it, then start again`);
  }

  #schedule() {
    if (this.#stopped) return;
    const { start, waiting } = this.#queue.schedule();
    for (const { job, reason } of waiting) {
      if (job.reason === reason) continue;
      job.reason = reason;
      job.recorder.record({ type: 'run.status', pipeline: job.pipelineName, status: 'queued', failure: null, reason });
      job.recorder.flush();
    }
    for (const job of start) {
      this.#active.set(job.runId, job);
      job.done = this.#execute(job);
    }
  }

  async #execute(job: Job): Promise<void> {
    const logger = this.deps.logger;
    // the run's end is recorded after afterRun, so whoever sees it ended also sees what afterRun kept (status, kubeconfig)
    let ending: Parameters<Recorder['record']>[0] | null = null;
    try {
      const runtime = createClusterRuntime({ spec: job.spec, hosts: job.prepared.hosts, ...(logger ? { logger } : {}) });
      this.deps.beforeRun?.(runtime, job.clusterId);
      const outcome = await runPipeline({
        runId: String(job.runId),
        pipeline: job.prepared.pipeline,
        runtime,
        connectorFor: (host) => this.deps.connect(host, job.hostKeys[host.name] ?? null, { pipeline: job.pipelineName }),
        signal: job.abort.signal,
        // the recorder stamps its own run id and seq over the engine's (no copy here: one object less per log line)
        onEvent: (e) => {
          if (e.type === 'run.status' && isTerminal(RUN_TRANSITIONS, e.status)) ending = e;
          else job.recorder.record(e);
        },
      });
      try {
        this.deps.afterRun?.(runtime, job.clusterId, { runId: job.runId, pipeline: job.pipelineName, status: outcome.status, options: job.options });
      } catch (err) {
        logger?.error('keeping the results of a run failed', { runId: job.runId, error: String(err) });
      }
    } catch (err) {
      logger?.error('run crashed', { runId: job.runId, error: String(err) });
    } finally {
      if (ending) job.recorder.record(ending);
      job.recorder.close();
      this.#active.delete(job.runId);
      this.#ended(job.runId);
      this.#queue.release(job.runId);
      this.#schedule();
      if (!this.#stopped) void this.deps.retention?.schedule();
    }
  }
}

