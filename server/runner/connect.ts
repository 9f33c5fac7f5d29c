import { ConnectorError } from '../connectors/connector';
import { SshConnector } from '../connectors/ssh';
import type { Host as SpecHost } from '../contracts/cluster-spec';
import type { Host } from '../engine';
import type { ConnectFn } from './runner';

export function unpinnedHostKey(host: SpecHost): ConnectorError {
  return new ConnectorError(
    'hostkey',
    `the host key of ${host.name} (${host.address}:${host.port}) has not been accepted yet: open the cluster page, test the connection, check and accept the key, then start the run again`,
  );
}

/**
 * Read-only pipelines answer "how is the cluster now": a host that does not answer is the answer ("unreachable"), so
 * they make one 10 s attempt, not three of 20 s with backoff (a status of 200 hosts with two silent ones took 21 s and
 * would take 62 s with handshake timeouts). A refresh is one click away.
 */
export const QUICK_CONNECT_PIPELINES: ReadonlySet<string> = new Set(['status']);
export const QUICK_CONNECT = { readyTimeoutMs: 10_000, connectRetries: 0 } as const;

/** One SshConnector per host per run, from the spec host and its pinned key; an unpinned host fails with kind 'hostkey'. */
export const sshConnect: ConnectFn = (host: Host<SpecHost>, pinned: string | null, run) => {
  const h = host.data;
  if (!h) throw new ConnectorError('internal', `host ${host.name} has no spec entry`);
  if (!pinned) throw unpinnedHostKey(h);
  return new SshConnector({
    host: h.address,
    port: h.port,
    username: h.user,
    ...(h.auth.type === 'key' ? { privateKey: h.auth.privateKey, passphrase: h.auth.passphrase } : { password: h.auth.password }),
    sudoPassword: h.sudoPassword,
    hostKeyFingerprint: pinned,
    ...(QUICK_CONNECT_PIPELINES.has(run.pipeline) ? QUICK_CONNECT : {}),
  });
};
