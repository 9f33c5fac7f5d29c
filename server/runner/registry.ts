import type { ClusterSpec, Host as SpecHost } from '../contracts/cluster-spec';
import type { RunOptions } from '../contracts/run-types';
import type { Pipeline } from '../engine';

export type PipelineFactory = (spec: ClusterSpec, opts: RunOptions) => Pipeline<ClusterSpec, SpecHost>;

/** Engine hosts carry their spec host (secrets included) as data. Pipelines by name ('createCluster', 'preflightOnly', 'resetCluster', 'addNodes', and 'test:*' in tests). */
export class PipelineRegistry {
  readonly #factories = new Map<string, PipelineFactory>();

  register(name: string, factory: PipelineFactory): this {
    this.#factories.set(name, factory);
    return this;
  }

  registerAll(map: Readonly<Record<string, PipelineFactory>> | ReadonlyMap<string, PipelineFactory>): this {
    const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
    for (const [name, factory] of entries) this.register(name, factory);
    return this;
  }

  get(name: string): PipelineFactory | undefined {
    return this.#factories.get(name);
  }

  names(): string[] {
    return [...this.#factories.keys()].sort();
  }
}
