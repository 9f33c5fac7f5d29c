import type { ClusterSpec, Host as SpecHost } from '../contracts/cluster-spec';
import type { RunOptions, RunPlan } from '../contracts/run-types';
import { mapSecrets } from '../contracts/spec-secrets';
import { runtimeHostsFromSpec } from '../catalog/common/hosts';
import { planPipeline, type Host, type Pipeline } from '../engine';
import { createRedactor } from '../secrets/redact';
import { ServiceError } from '../errors';
import { hostIdentity } from './host-queue';
import type { PipelineRegistry } from './registry';
import { restrictPipeline } from './restrict';

export type PreparedRun = {
  pipeline: Pipeline<ClusterSpec, SpecHost>;
  hosts: Host<SpecHost>[];
  plan: RunPlan;
  /** hosts some task runs on */
  touched: string[];
  identities: Map<string, string>;
  redact: (text: string) => string;
};

/** Every secret of a resolved spec by its path (hosts.n1.auth.privateKey, …). */
export function secretValuesByPath(spec: ClusterSpec): Map<string, string> {
  const out = new Map<string, string>();
  mapSecrets(spec, (value, slot) => {
    if (typeof value === 'string' && value.length > 0) out.set(slot.path, value);
    return value;
  });
  return out;
}

function checkNames(spec: ClusterSpec, names: readonly string[] | undefined, what: string) {
  if (!names) return;
  const known = new Set(spec.hosts.map((h) => h.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new ServiceError('BAD_REQUEST', `${what}: unknown host ${unknown.join(', ')}`, [{ path: what, message: `unknown host ${unknown.join(', ')}` }]);
  if (names.length === 0) throw new ServiceError('BAD_REQUEST', `${what}: name at least one host`, [{ path: what, message: 'name at least one host' }]);
}

/** Builds the pipeline from its factory, restricted to onlyHosts, and plans it: nothing is touched yet. */
export function prepareRun(registry: PipelineRegistry, name: string, spec: ClusterSpec, options: RunOptions, extraSecrets: readonly string[] = []): PreparedRun {
  const factory = registry.get(name);
  if (!factory) throw new ServiceError('BAD_REQUEST', `unknown pipeline "${name}" (known: ${registry.names().join(', ') || 'none'})`);
  checkNames(spec, options.onlyHosts, 'onlyHosts');
  checkNames(spec, options.nodes, 'nodes');
  const hosts: Host<SpecHost>[] = runtimeHostsFromSpec(spec);
  let pipeline: Pipeline<ClusterSpec, SpecHost>;
  let plan: RunPlan;
  try {
    pipeline = restrictPipeline(factory(spec, options), options.onlyHosts);
    plan = planPipeline(pipeline, hosts);
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const field = /^(until|nodes|onlyHosts): (.*)$/s.exec(message);
    throw new ServiceError('BAD_REQUEST', `pipeline "${name}" cannot be built for this cluster: ${message}`, field ? [{ path: field[1]!, message: field[2]! }] : undefined);
  }
  const touchedSet = new Set(plan.modules.flatMap((m) => m.tasks.flatMap((t) => t.hosts)));
  const touched = spec.hosts.map((h) => h.name).filter((n) => touchedSet.has(n));
  const identities = new Map(spec.hosts.filter((h) => touchedSet.has(h.name)).map((h) => [hostIdentity(h.address, h.port), h.name]));
  return { pipeline, hosts, plan, touched, identities, redact: createRedactor([...secretValuesByPath(spec).values(), ...extraSecrets]) };
}
