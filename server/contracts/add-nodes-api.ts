import { z } from 'zod';
import { ClusterId, Version } from './cluster-api';
import { InstallModule } from './run-phases';

/** New hosts for a saved cluster, in the spec's host shape (checked with the whole spec on the server); field errors use hosts.<i> of this list. */
export const AddNodesInput = z.strictObject({
  clusterId: ClusterId,
  expectedVersion: Version,
  hosts: z.array(z.unknown()).min(1, { error: 'add at least one host' }).max(1000),
  until: InstallModule.optional(),
});
export type AddNodesInput = z.infer<typeof AddNodesInput>;
export type AddNodesResult = { runId: number; nodes: string[]; version: number };

type FieldError = { path: string; message: string };

/** A field error of the whole spec (existing hosts first, then the new ones) as add nodes shows it: hosts.<i> of the new hosts; an existing host by name. */
export function newHostsError(e: FieldError, existing: readonly string[]): FieldError {
  const at = (i: number, asPath: boolean) => (i >= existing.length ? `hosts.${i - existing.length}` : asPath ? `cluster.hosts.${existing[i]}` : `existing host ${existing[i]}`);
  return {
    path: e.path.replace(/^hosts\.(\d+)/, (_, i: string) => at(Number(i), true)),
    message: e.message.replace(/\bhosts\.(\d+)\b/g, (_, i: string) => at(Number(i), false)),
  };
}
