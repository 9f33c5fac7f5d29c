import { Client } from 'ssh2';
import { ConnectorError } from '../../connectors/connector';
import { fingerprintOf } from '../../connectors/known-hosts';
import { socketHint } from '../../connectors/ssh-errors';

export type ScanTarget = { address: string; port: number };

/**
 * Reads a host's SSH host key like ssh-keyscan: the key exchange runs, the verifier records the key and
 * refuses it, so no authentication (and no credential) is ever sent. Resolves 'SHA256:…'.
 */
export function scanHostKey(target: ScanTarget, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string> {
  const { signal, timeoutMs = 10_000 } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ConnectorError('cancelled', 'cancelled'));
    const client = new Client();
    let seen: string | null = null;
    let done = false;
    const finish = (err: ConnectorError | null) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      client.end();
      client.destroy();
      if (seen) resolve(seen);
      else reject(err ?? new ConnectorError('unreachable', `${target.address}:${target.port}: no host key received`));
    };
    const onAbort = () => finish(new ConnectorError('cancelled', 'cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (seen) return finish(null);
      const timeout = err.level === 'client-timeout' || /timed out/i.test(err.message);
      const kind = timeout ? 'timeout' : 'unreachable';
      const words = timeout ? `no SSH answer within ${timeoutMs} ms` : socketHint(err) ?? err.message;
      finish(new ConnectorError(kind, `cannot connect to ${target.address}:${target.port}: ${words}`, { cause: err }));
    });
    client.on('close', () => finish(null));
    client.connect({
      host: target.address,
      port: target.port,
      username: 'kubexms-keyscan',
      readyTimeout: timeoutMs,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        seen = fingerprintOf(key);
        return false;
      },
    });
  });
}
