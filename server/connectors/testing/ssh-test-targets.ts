import type { LabHost } from '../../../e2e/hosts/fixture';
import { SshConnector } from '../ssh-connector';
import type { SshTarget } from '../ssh-target';

/** Test helper: SshTargets for lab hosts, pinned to the lab's fingerprints, with short timeouts. */
export function rootTarget(host: LabHost, extra: Partial<SshTarget> = {}): SshTarget {
  return {
    host: host.address,
    port: host.port,
    username: 'root',
    privateKey: host.users.root.privateKey,
    hostKeyFingerprint: host.hostKeyFingerprint,
    readyTimeoutMs: 5000,
    connectRetries: 0,
    ...extra,
  };
}

export function kxuserTarget(host: LabHost, extra: Partial<SshTarget> = {}): SshTarget {
  return rootTarget(host, { username: 'kxuser', privateKey: undefined, password: host.users.kxuser.password, ...extra });
}

export function kxnopwTarget(host: LabHost, extra: Partial<SshTarget> = {}): SshTarget {
  return rootTarget(host, { username: 'kxnopw', privateKey: host.users.kxnopw.privateKey, ...extra });
}

/** Test helper: connectors that one after() hook closes. */
export function connectorPool() {
  const open: SshConnector[] = [];
  return {
    connector(...args: ConstructorParameters<typeof SshConnector>) {
      const c = new SshConnector(...args);
      open.push(c);
      return c;
    },
    closeAll: () => Promise.all(open.splice(0).map((c) => c.close())),
  };
}
