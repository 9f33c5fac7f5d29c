import type { Client } from 'ssh2';
import { SshConnector } from '../../server/connectors/ssh';
import type { LightHost } from '../light-hosts/state';
import { benchUser } from '../light-hosts/state';
import { closeRaw, openRaw } from './raw-ssh';

export function sshConnector(host: LightHost, privateKey: string, maxChannels?: number): SshConnector {
  return new SshConnector({
    host: host.address,
    port: host.port,
    username: benchUser,
    privateKey,
    hostKeyFingerprint: host.fingerprint,
    ...(maxChannels ? { maxChannels } : {}),
  });
}

/** Connected SshConnectors, one per host (connected by a first `true`). */
export async function warmConnectors(hosts: readonly LightHost[], privateKey: string): Promise<SshConnector[]> {
  const connectors = hosts.map((h) => sshConnector(h, privateKey));
  await Promise.all(connectors.map((c) => c.exec('true')));
  return connectors;
}

export async function openRawFleet(hosts: readonly LightHost[], privateKey: Buffer): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < hosts.length; i += 50) clients.push(...(await Promise.all(hosts.slice(i, i + 50).map((h) => openRaw(h, privateKey)))));
  return clients;
}

export async function closeRawFleet(clients: readonly Client[]): Promise<void> {
  await Promise.all(clients.map(closeRaw));
}
