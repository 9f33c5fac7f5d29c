import type { ClusterSpec } from '../../contracts/cluster-spec';
import { redactSpec } from '../../contracts/spec-secrets';
import { validateSpec } from '../../contracts/spec-validate';
import { planPipeline, type Plan } from '../../engine';
import { runtimeHostsFromSpec } from '../../catalog/common/hosts';
import { PIPELINES } from '../../catalog/pipelines';
import type { PipelineName } from '../../contracts/pipelines';
import type { InstallModule } from '../../contracts/run-phases';
import { exportKubeKey } from '../../spec';
import { ServiceError } from '../../errors';

export type SpecPreview = { yaml: string; plan: Plan };

/** The wizard's review (and add nodes' review, with the new nodes): the spec as KubeKey YAML (secrets never included) and the plan of a pipeline over its hosts. Writes nothing. */
export function previewSpec(input: { spec: unknown; pipeline: PipelineName; nodes?: string[] | undefined; until?: InstallModule | undefined }): SpecPreview {
  const result = validateSpec(input.spec, { secrets: 'ignore' });
  if (!result.ok) throw new ServiceError('BAD_REQUEST', 'the spec has errors', result.errors);
  const spec = result.spec as unknown as ClusterSpec;
  let pipeline;
  try {
    pipeline = PIPELINES[input.pipeline](spec, { ...(input.nodes ? { nodes: input.nodes } : {}), ...(input.until ? { until: input.until } : {}) });
  } catch (err) {
    if (err instanceof RangeError) throw new ServiceError('BAD_REQUEST', err.message);
    throw err;
  }
  return { yaml: exportKubeKey(redactSpec(result.spec)), plan: planPipeline(pipeline, runtimeHostsFromSpec(spec)) };
}
