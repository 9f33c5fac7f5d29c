import { Client } from 'ssh2';
import { fingerprintOf } from '../../server/connectors/known-hosts';
import type { LightHost } from '../light-hosts/state';
import { benchUser } from '../light-hosts/state';

/** The floor: a bare ssh2 client, host key pinned, Nagle off, no events, no logs. */
export function openRaw(host: LightHost, privateKey: Buffer, username = benchUser): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      client.setNoDelay(true);
      resolve(client);
    });
    client.once('error', reject);
    client.connect({
      host: host.address,
      port: host.port,
      username,
      privateKey,
      readyTimeout: 30_000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === host.fingerprint,
    });
  });
}

export function execRaw(client: Client, command: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let code: number | null = null;
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('data', () => {});
      stream.stderr.on('data', () => {});
      stream.on('close', () => resolve(code));
    });
  });
}

export function closeRaw(client: Client): Promise<void> {
  return new Promise((resolve) => {
    client.once('close', () => resolve());
    client.end();
  });
}
