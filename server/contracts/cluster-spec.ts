import { z } from 'zod';
import { label, LIMITS } from './spec-fields';
import { Host, HostDefaults, HostDefaultsInput, HostDefaultsPublic, HostInput, HostPublic } from './spec-host';
import { Artifacts, Containerd, Etcd, Kubernetes, Network, Preflight, Registry, RegistryInput, RegistryPublic } from './spec-sections';
import { checkSpec } from './spec-checks';
import { System } from './spec-system';

export * from './spec-host';
export * from './spec-sections';
export { LIMITS, SecretState } from './spec-fields';

const base = {
  name: label,
  kubernetes: Kubernetes,
  etcd: Etcd.prefault({}),
  containerd: Containerd.prefault({}),
  network: Network.prefault({}),
  artifacts: Artifacts.prefault({}),
  preflight: Preflight.prefault({}),
  system: System.optional(),
};
const hosts = <T extends z.ZodType>(host: T) =>
  z.array(host).min(1, { error: 'add at least one host' }).max(LIMITS.hosts, { error: `at most ${LIMITS.hosts} hosts` });

/** What the wizard, the CLI and the API send: secrets are write-only strings (undefined = keep, null = clear). */
export const ClusterSpecInput = z
  .strictObject({ ...base, hostDefaults: HostDefaultsInput.optional(), hosts: hosts(HostInput), registry: RegistryInput.prefault({}) })
  .superRefine(checkSpec);
/** What is stored and returned: every secret replaced by { set }. */
export const ClusterSpecPublic = z
  .strictObject({ ...base, hostDefaults: HostDefaultsPublic.optional(), hosts: hosts(HostPublic), registry: RegistryPublic.prefault({}) })
  .superRefine(checkSpec);
/** What the runner and the catalog use: secrets resolved to their values. */
export const ClusterSpec = z
  .strictObject({ ...base, hostDefaults: HostDefaults.optional(), hosts: hosts(Host), registry: Registry.prefault({}) })
  .superRefine(checkSpec);

export type ClusterSpecInput = z.infer<typeof ClusterSpecInput>;
/** The wizard's form state before defaults are applied. */
export type ClusterSpecDraft = z.input<typeof ClusterSpecInput>;
export type ClusterSpecPublic = z.infer<typeof ClusterSpecPublic>;
export type ClusterSpec = z.infer<typeof ClusterSpec>;
export type AnyClusterSpec = ClusterSpecInput | ClusterSpecPublic | ClusterSpec;
