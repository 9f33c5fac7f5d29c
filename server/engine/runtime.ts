import { RunCache } from './cache';
import type { ClusterRuntime, Host, Logger } from './types';

export const noopLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  debug: (m, f) => console.debug(m, f ?? ''),
  info: (m, f) => console.info(m, f ?? ''),
  warn: (m, f) => console.warn(m, f ?? ''),
  error: (m, f) => console.error(m, f ?? ''),
};

export function createClusterRuntime<Spec, HostData = unknown>(options: {
  spec: Spec;
  hosts: readonly Host<HostData>[];
  logger?: Logger;
}): ClusterRuntime<Spec, HostData> {
  return { spec: options.spec, hosts: options.hosts, logger: options.logger ?? noopLogger, cache: new RunCache() };
}
