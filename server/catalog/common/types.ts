import type { ClusterSpec, Host as SpecHost } from '../../contracts/cluster-spec';
import type { Host, HostContext, Module, Pipeline, Step, Task } from '../../engine';

export type { ClusterSpec, SpecHost };

/** The engine types as the catalog uses them: the spec is a ClusterSpec, each host carries its spec entry in `data`. */
export type KxHost = Host<SpecHost>;
export type KxContext = HostContext<ClusterSpec, SpecHost>;
export type KxStep = Step<ClusterSpec, SpecHost>;
export type KxTask = Task<ClusterSpec, SpecHost>;
export type KxModule = Module<ClusterSpec, SpecHost>;
export type KxPipeline = Pipeline<ClusterSpec, SpecHost>;
