import type { ClusterSpec } from '../../contracts/cluster-spec';
import { redactSpec } from '../../contracts/spec-secrets';
import { validateSpec } from '../../contracts/spec-validate';
import { planPipeline, type Plan } from '../../engine';
import { runtimeHostsFromSpec } from '../../catalog/common/hosts';
import { PIPELINES } from '../../catalog/pipelines';
import type { PipelineName } from '../../contracts/pipelines';
import { exportKubeKey } from '../../spec';
import { ServiceError } from '../../errors';

export type SpecPreview = { yaml: string; plan: Plan };

/** The wizard's review: the spec as KubeKey YAML (secrets never included) and the plan of a pipeline over its hosts. Writes nothing. */
export function previewSpec(input: { spec: unknown; pipeline: PipelineName }): SpecPreview {
  const result = validateSpec(input.spec, { secrets: 'ignore' });
  if (!result.ok) throw new ServiceError('BAD_REQUEST', 'the spec has errors', result.errors);
  const spec = result.spec as unknown as ClusterSpec;
  const pipeline = PIPELINES[input.pipeline](spec, {});
  return { yaml: exportKubeKey(redactSpec(result.spec)), plan: planPipeline(pipeline, runtimeHostsFromSpec(spec)) };
}
