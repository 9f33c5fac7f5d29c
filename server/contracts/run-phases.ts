import { z } from 'zod';
import type { PipelineName } from './pipelines';

/** The modules of createCluster/addNodes in order; a run may stop after one of them (`--until etcd`), as KubeKey's phases do. */
export const INSTALL_MODULES = ['preflight', 'kernel', 'containerd', 'etcd', 'kubernetes'] as const;
export const InstallModule = z.enum(INSTALL_MODULES);
export type InstallModule = z.infer<typeof InstallModule>;

/** Pipelines whose run can stop after a named module. */
export const PHASED_PIPELINES = ['createCluster', 'addNodes'] as const satisfies readonly PipelineName[];

/** The install modules a run goes through: all of them, or up to and including `until`. */
export function modulesInRun(until: InstallModule | undefined): InstallModule[] {
  return until ? INSTALL_MODULES.slice(0, INSTALL_MODULES.indexOf(until) + 1) : [...INSTALL_MODULES];
}

/** Checks that only matter to a later module (e.g. the etcd/Kubernetes version pairing) apply only when it is in the run. */
export function runIncludes(options: { until?: InstallModule | undefined }, module: InstallModule): boolean {
  return modulesInRun(options.until).includes(module);
}
