import type { ClusterSpec, Host as SpecHost } from '../../contracts/cluster-spec';
import type { Host, HostContext, Module, Pipeline, Step, Task } from '../../engine';
import type { ArtifactNeed } from './host-artifacts';

export type { ClusterSpec, SpecHost };

/** The engine types as the catalog uses them: the spec is a ClusterSpec, each host carries its spec entry in `data`. */
export type KxHost = Host<SpecHost>;
export type KxContext = HostContext<ClusterSpec, SpecHost>;

/** What `spec render` knows of a host without asking it (defaults) or after reading it (--diff). */
export type HostFacts = { arch: string; osFamily: 'debian' | 'rhel' | 'other' };

export type RenderInput = {
  spec: ClusterSpec;
  host: KxHost;
  facts: HostFacts;
  /** the text of one file of an artifact (e.g. the upstream CNI manifest), from the control node's cache or the mirror */
  artifactText: (need: ArtifactNeed, file: string) => Promise<string>;
};

/**
 * A file a step leaves on a host after the run, rendered by the same function the step writes it with.
 * content null: made at run time and never shown (keys, certificates); block: the step owns a block inside the file
 * (merge gives the whole file from the current one); command: a line the step runs (hooks), not a file.
 */
export type PlannedFile = {
  path: string;
  mode: number;
  content: string | null;
  kind?: 'file' | 'block' | 'command';
  merge?: (current: string) => string;
  /** written during the run and removed before it ends */
  transient?: boolean;
  note?: string;
};

export type KxStep = Step<ClusterSpec, SpecHost> & {
  /** the files this step leaves on the host, for `spec render` (no host is touched) */
  writes?: (input: RenderInput) => Promise<readonly PlannedFile[]> | readonly PlannedFile[];
};
export type KxTask = Omit<Task<ClusterSpec, SpecHost>, 'steps'> & { steps: readonly KxStep[] };
export type KxModule = Omit<Module<ClusterSpec, SpecHost>, 'tasks'> & { tasks: readonly KxTask[] };
export type KxPipeline = Omit<Pipeline<ClusterSpec, SpecHost>, 'modules'> & { modules: readonly KxModule[] };
