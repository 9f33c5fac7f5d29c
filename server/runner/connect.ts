import { ConnectorError, type Connector } from '../connectors/connector';
import type { Host as SpecHost } from '../contracts/cluster-spec';
import type { Host } from '../engine';
import type { ConnectFn } from './runner';

export function unpinnedHostKey(host: SpecHost): ConnectorError {
  return new ConnectorError(
    'hostkey',
    `the host key of ${host.name} (${host.address}:${host.port}) has not been accepted yet: open the cluster page, test the connection, check and accept the key, then start the run again`,
  );
}

type SshModule = { SshConnector: new (target: Record<string, unknown>) => Connector };

// Loaded at run time until server/connectors/ssh.ts is in the tree for every checkout.
let ssh: Promise<SshModule> | null = null;
const sshModule = () => (ssh ??= import(new URL('../connectors/ssh.ts', import.meta.url).href) as Promise<SshModule>);

/** One SshConnector per host per run, from the spec host and its pinned key; an unpinned host fails with kind 'hostkey'. */
export const sshConnect: ConnectFn = async (host: Host<SpecHost>, pinned: string | null) => {
  const h = host.data;
  if (!h) throw new ConnectorError('internal', `host ${host.name} has no spec entry`);
  if (!pinned) throw unpinnedHostKey(h);
  const { SshConnector } = await sshModule();
  return new SshConnector({
    host: h.address,
    port: h.port,
    username: h.user,
    ...(h.auth.type === 'key' ? { privateKey: h.auth.privateKey, passphrase: h.auth.passphrase } : { password: h.auth.password }),
    sudoPassword: h.sudoPassword,
    hostKeyFingerprint: pinned,
  });
};
