import { RunCache } from './cache';
import type { Connector } from '../connectors/connector';
import type { RunEmitter } from './events';
import type { ClusterRuntime, ConnectorFactory, Host } from './types';

export type RunEnv<Spec = unknown, HostData = unknown> = {
  runId: string;
  runtime: ClusterRuntime<Spec, HostData>;
  emitter: RunEmitter;
  signal: AbortSignal;
  connectors: ConnectorPool<HostData>;
  hostCaches: Map<string, RunCache>;
  abortGraceMs: number;
};

/** One connector per host per run, created on first use and shared by every step on that host. */
export class ConnectorPool<HostData = unknown> {
  readonly #made = new Map<string, Promise<Connector>>();
  constructor(private readonly factory: ConnectorFactory<HostData>) {}

  get(host: Host<HostData>): Promise<Connector> {
    let made = this.#made.get(host.name);
    if (!made) {
      made = Promise.resolve().then(() => this.factory(host));
      made.catch(() => this.#made.delete(host.name));
      this.#made.set(host.name, made);
    }
    return made;
  }

  async closeAll(onError: (host: string, err: unknown) => void): Promise<void> {
    const all = [...this.#made.entries()];
    this.#made.clear();
    await Promise.all(
      all.map(async ([name, made]) => {
        try {
          await (await made).close();
        } catch (err) {
          onError(name, err);
        }
      }),
    );
  }
}

export function hostCache<Spec, HostData>(env: RunEnv<Spec, HostData>, hostName: string): RunCache {
  let cache = env.hostCaches.get(hostName);
  if (!cache) {
    cache = new RunCache();
    env.hostCaches.set(hostName, cache);
  }
  return cache;
}
