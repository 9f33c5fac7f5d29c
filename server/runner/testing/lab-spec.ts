import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import type { LabHost } from '../../../e2e/hosts/fixture';

let n = 0;

/** A cluster spec input over lab hosts as root with the lab key; pinned: false leaves host keys unaccepted. */
export function labClusterInput(hosts: readonly LabHost[], opts: { pinned?: boolean; sudoPassword?: string } = {}): ClusterSpecInput {
  n += 1;
  return {
    name: `rt-${process.pid}-${n}-${Date.now().toString(36)}`,
    kubernetes: { version: 'v1.31.4' },
    hosts: hosts.map((h) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      user: 'root',
      auth: { type: 'key', privateKey: h.rootKey },
      ...(opts.sudoPassword ? { sudoPassword: opts.sudoPassword } : {}),
      ...(opts.pinned === false ? {} : { hostKeyFingerprint: h.hostKeyFingerprint }),
      roles: ['etcd', 'control-plane', 'worker'],
    })),
  } as ClusterSpecInput;
}
