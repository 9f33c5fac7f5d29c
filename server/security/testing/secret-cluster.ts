import { randomBytes } from 'node:crypto';
import type { LabHost } from '../../../e2e/hosts/fixture';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import type { HostileLogin } from './hostile-users';

export type TestSecrets = { sshPassword: string; sudoPassword: string; passphrase: string; registryPassword: string };

// New for every run, with quote and dollar characters: any hit anywhere is this run's leak.
export const freshSecret = (kind: string) => `${kind}'$${randomBytes(9).toString('base64url')}`;

export function freshSecrets(): TestSecrets {
  return { sshPassword: freshSecret('ssh'), sudoPassword: freshSecret('sudo'), passphrase: freshSecret('pp'), registryPassword: freshSecret('reg') };
}

/** The logins for secretClusterSpec: <prefix>0 logs in by password, <prefix>1 by key (own passphrase) or password. */
export const secretLoginsInput = (s: TestSecrets) => [s.sshPassword, { password: s.sudoPassword, passphrase: s.passphrase }];

/** Three hosts: password login (its password is also the sudo password), key + passphrase with a sudo password, password again. */
export function secretClusterSpec(name: string, hosts: readonly LabHost[], logins: readonly HostileLogin[], s: TestSecrets): ClusterSpecInput {
  const [a, b] = logins as [HostileLogin, HostileLogin];
  const auths = [
    { user: a.user, auth: { type: 'password', password: s.sshPassword }, sudoPassword: s.sshPassword },
    { user: b.user, auth: { type: 'key', privateKey: b.privateKey, passphrase: s.passphrase }, sudoPassword: s.sudoPassword },
    { user: b.user, auth: { type: 'password', password: s.sudoPassword }, sudoPassword: s.sudoPassword },
  ];
  return {
    name,
    kubernetes: { version: 'v1.31.4' },
    preflight: { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 },
    registry: { privateRegistry: { url: 'https://reg.kx.test:5000', username: 'bot', password: s.registryPassword } },
    hosts: hosts.map((h, i) => ({ name: h.name, address: h.address, port: h.port, ...auths[i], hostKeyFingerprint: h.hostKeyFingerprint, roles: i === 0 ? ['etcd', 'control-plane'] : ['etcd', 'worker'] })),
  } as ClusterSpecInput;
}
