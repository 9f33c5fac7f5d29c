import type { Pipeline } from '../engine';

/** Every task keeps its own filter and also runs only on the given hosts; the runtime still sees all hosts (configs need every member). */
export function restrictPipeline<S, H>(pipeline: Pipeline<S, H>, onlyHosts: readonly string[] | undefined): Pipeline<S, H> {
  if (!onlyHosts) return pipeline;
  const allowed = new Set(onlyHosts);
  return {
    ...pipeline,
    modules: pipeline.modules.map((m) => ({
      ...m,
      tasks: m.tasks.map((t) => {
        const own = t.filter?.bind(t);
        return { ...t, filter: (h) => allowed.has(h.name) && (own ? own(h) : true) };
      }),
    })),
  };
}
