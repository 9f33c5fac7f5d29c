import { z } from 'zod';

/** The catalog's pipelines: server/catalog/pipelines.ts builds each, the runner's registry holds them by these names. */
export const PIPELINE_NAMES = ['createCluster', 'preflightOnly', 'resetCluster', 'addNodes', 'etcdBackup', 'etcdRestore', 'renewEtcdCerts', 'etcdRollingUpdate', 'status', 'removeNodes'] as const;
export const PipelineName = z.enum(PIPELINE_NAMES);
export type PipelineName = z.infer<typeof PipelineName>;

/** Pipelines that destroy what a cluster runs: starting or repeating one asks for the cluster's name typed (DESIGN §12). */
export const CONFIRMED_PIPELINES: ReadonlySet<string> = new Set<PipelineName>(['removeNodes', 'etcdRestore']);
