import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import type { LabHost } from '../../../e2e/hosts/fixture';

export type LabUser = 'root' | 'kxuser' | 'kxnopw';

/** How a lab host is reached as each lab user: root and kxnopw by key, kxuser by password with that password for sudo. */
export function labLogin(h: LabHost, user: LabUser) {
  if (user === 'kxuser') return { user, auth: { type: 'password', password: h.users.kxuser.password }, sudoPassword: h.users.kxuser.password };
  return { user, auth: { type: 'key', privateKey: h.users[user].privateKey } };
}

/** A 3-host install spec (etcd everywhere, first host control plane) with the Debian-built versions the lab mirror serves. */
export function installSpecInput(name: string, hosts: readonly LabHost[], opts: { mirror?: string; user?: LabUser } = {}): ClusterSpecInput {
  const roles = [['etcd', 'control-plane'], ['etcd', 'worker'], ['etcd', 'worker']] as const;
  return {
    name,
    kubernetes: { version: 'v1.31.4' },
    etcd: { version: 'v3.4.23' },
    containerd: { version: 'v1.6.20' },
    artifacts: opts.mirror ? { mirror: opts.mirror } : {},
    preflight: { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 },
    hosts: hosts.map((h, i) => ({
      name: h.name, address: h.address, port: h.port, ...labLogin(h, opts.user ?? 'root'),
      hostKeyFingerprint: h.hostKeyFingerprint, roles: [...roles[i]!],
    })),
  } as ClusterSpecInput;
}
