import type { ConnectProgress, Connector, ExecOptions, ExecResult, UploadResult } from '../../connectors/connector';
import { ConnectorError } from '../../connectors/connector';
import type { EngineEvent, StepStatusEvent } from '../events';
import { createClusterRuntime } from '../runtime';
import type { Host, Logger } from '../types';

export type FakeReply = Partial<ExecResult> & { delayMs?: number; error?: ConnectorError };
export type FakeHandler = (command: string, call: { host: string; options: ExecOptions }) => FakeReply | Promise<FakeReply>;

/** The connection made on first use, as SshConnector does: `attempts` tries of `attemptMs` each; all fail with `fail` if given, else the last one connects. */
export type FakeConnect = { attempts: number; attemptMs: number; fail?: ConnectorError };

export type FakeStats = { inFlight: number; maxInFlight: number; calls: { host: string; command: string }[]; aborted: string[]; closed: string[] };

export function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectorError('cancelled', 'command cancelled'));
    const onAbort = () => (clearTimeout(timer), reject(new ConnectorError('cancelled', 'command cancelled')));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A scripted connector: the handler decides each command's output, exit code, delay or connection error. */
export class FakeConnector implements Connector {
  #connected: Promise<void> | null = null;
  #progress: ConnectProgress | null = null;
  readonly #watchers = new Set<(p: ConnectProgress | null) => void>();

  constructor(
    readonly target: string,
    private readonly handler: FakeHandler,
    private readonly stats: FakeStats,
    private readonly connect?: FakeConnect,
  ) {}

  onConnecting(listener: (p: ConnectProgress | null) => void): () => void {
    this.#watchers.add(listener);
    if (this.#progress) listener(this.#progress);
    return () => this.#watchers.delete(listener);
  }

  #report(p: ConnectProgress | null) {
    this.#progress = p;
    for (const w of [...this.#watchers]) w(p);
  }

  async #connect(c: FakeConnect): Promise<void> {
    for (let a = 1; a <= c.attempts; a++) {
      this.#report({ attempt: a, attempts: c.attempts, givesUpAt: Date.now() + (c.attempts - a + 1) * c.attemptMs, previousError: a > 1 ? `no answer from ${this.target}` : null });
      await waitFor(c.attemptMs);
    }
    if (c.fail) {
      this.#progress = null;
      throw c.fail;
    }
    this.#report(null);
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (options.signal?.aborted) throw new ConnectorError('cancelled', 'command cancelled');
    if (this.connect) await (this.#connected ??= this.#connect(this.connect));
    this.stats.calls.push({ host: this.target, command });
    this.stats.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    try {
      const reply = await this.handler(command, { host: this.target, options });
      try {
        await waitFor(reply.delayMs ?? 0, options.signal);
      } catch (err) {
        this.stats.aborted.push(`${this.target}:${command}`);
        throw err;
      }
      if (reply.error) throw reply.error;
      if (reply.stdout) options.onStdout?.(reply.stdout);
      if (reply.stderr) options.onStderr?.(reply.stderr);
      return { exitCode: reply.exitCode ?? 0, signal: reply.signal ?? null, stdout: reply.stdout ?? '', stderr: reply.stderr ?? '' };
    } finally {
      this.stats.inFlight -= 1;
    }
  }

  async upload(source: Buffer | string | { path: string }): Promise<UploadResult> {
    const bytes = typeof source === 'string' ? Buffer.byteLength(source) : Buffer.isBuffer(source) ? source.length : 0;
    return { skipped: false, sha256: '', bytes };
  }

  async download(): Promise<Buffer> {
    return Buffer.alloc(0);
  }

  async close(): Promise<void> {
    this.stats.closed.push(this.target);
  }
}

export function fakeFleet(handler: FakeHandler = () => ({}), connect: (host: string) => FakeConnect | undefined = () => undefined) {
  const stats: FakeStats = { inFlight: 0, maxInFlight: 0, calls: [], aborted: [], closed: [] };
  return { stats, connectorFor: (host: Host) => new FakeConnector(host.name, handler, stats, connect(host.name)) };
}

export function makeHosts(count: number, roles: (i: number) => string[] = () => ['worker']): Host[] {
  return Array.from({ length: count }, (_, i) => ({ name: `h${i}`, address: `198.51.100.${10 + i}`, roles: roles(i) }));
}

export function captureLogger() {
  const errors: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f ?? {})}`) };
  return { logger, errors };
}

export function testRuntime(hosts: Host[], logger?: Logger) {
  return createClusterRuntime({ spec: {}, hosts, ...(logger ? { logger } : {}) });
}

/** Final status of every cell, keyed `stepId@host`. */
export function finalCells(events: EngineEvent[]): Map<string, StepStatusEvent> {
  const cells = new Map<string, StepStatusEvent>();
  for (const e of events) if (e.type === 'step.status') cells.set(`${e.stepId}@${e.host}`, e);
  return cells;
}

/** Largest number of hosts that had a running step at the same time, from the events alone. */
export function maxHostsRunning(events: EngineEvent[]): number {
  const running = new Set<string>();
  let max = 0;
  for (const e of events) {
    if (e.type !== 'step.status') continue;
    if (e.status === 'running') running.add(e.host);
    else running.delete(e.host);
    max = Math.max(max, running.size);
  }
  return max;
}
