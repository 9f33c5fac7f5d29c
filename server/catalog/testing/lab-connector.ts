import { ConnectorError } from '../../connectors/connector';
import type { ConnectorFactory } from '../../engine';
import { sshConnect } from '../../runner/connect';
import type { SpecHost } from '../common/types';

/** The runner's own SSH path (SshConnector per host), pinned to the fingerprint the lab spec carries. */
export function labConnectorFactory(): ConnectorFactory<SpecHost> {
  return (host) => {
    const pinned = host.data?.hostKeyFingerprint;
    if (!pinned) throw new ConnectorError('hostkey', `lab host ${host.name} has no pinned host key in its spec`);
    return sshConnect(host, pinned, { pipeline: 'lab' });
  };
}
