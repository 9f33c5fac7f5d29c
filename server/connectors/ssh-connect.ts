import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { ConnectorError } from './connector';
import type { ConnectProgress } from './connector';
import { connectError, HostKeyError, lostError, noAnswer } from './ssh-errors';
import { fingerprintOf, normalizeFingerprint, sameFingerprint } from './known-hosts';
import { address, settings } from './ssh-target';
import type { SshTarget } from './ssh-target';

export type SshConnection = {
  readonly client: Client;
  /** fingerprint of the host key the host presented */
  readonly fingerprint: string;
  /** called once when the connection ends: 'unreachable' when lost, 'cancelled' after close() */
  onLost(listener: (error: ConnectorError) => void): () => void;
  readonly closed: boolean;
  close(): void;
};

export type ConnectOptions = {
  signal?: AbortSignal;
  /** probe only: accept an unpinned key so its fingerprint can be shown to the user */
  acceptUnknownHostKey?: boolean;
  /** called as each attempt starts */
  onAttempt?: (progress: ConnectProgress) => void;
};

const RETRYABLE = new Set(['unreachable', 'timeout']);
const cancelled = () => new ConnectorError('cancelled', 'cancelled while connecting');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const BACKOFF_JITTER_MS = 200;
const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 5000);

/** The longest connecting can take from attempt `from` (0-based) on: every attempt's budget and the backoffs between them. */
export function connectBudgetMs(target: SshTarget, from = 0): number {
  const { connectRetries, readyTimeoutMs } = settings(target);
  let ms = 0;
  for (let a = from; a <= connectRetries; a++) {
    ms += readyTimeoutMs + (target.jump ? connectBudgetMs(target.jump) : 0);
    if (a < connectRetries) ms += backoffMs(a) + BACKOFF_JITTER_MS;
  }
  return ms;
}

/** Connects (through the jump host, if any) with retries and backoff for network failures, never for auth or host-key failures. */
export async function connectSsh(target: SshTarget, options: ConnectOptions = {}): Promise<SshConnection> {
  const { connectRetries } = settings(target);
  let previousError: string | null = null;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw cancelled();
    options.onAttempt?.({ attempt: attempt + 1, attempts: connectRetries + 1, givesUpAt: Date.now() + connectBudgetMs(target, attempt), previousError });
    try {
      return await connectOnce(target, options);
    } catch (e) {
      const err = connectError(e, target);
      if (attempt >= connectRetries || !RETRYABLE.has(err.kind)) throw err;
      previousError = err.message;
      await sleep(backoffMs(attempt) + Math.floor(Math.random() * BACKOFF_JITTER_MS), options.signal);
    }
  }
}

// one attempt (TCP or forward, then the SSH handshake) ends within readyTimeoutMs, so connectBudgetMs is a promise kept
async function connectOnce(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  if (!target.jump) {
    const deadline = Date.now() + settings(target).readyTimeoutMs;
    return handshake(target, await tcpConnect(target, options.signal), options, null, deadline);
  }
  const jump = await connectSsh(target.jump, { signal: options.signal });
  const deadline = Date.now() + settings(target).readyTimeoutMs;
  try {
    return await handshake(target, await forwardOut(jump, target, options.signal), options, jump, deadline);
  } catch (e) {
    jump.close();
    throw e;
  }
}

function tcpConnect(target: SshTarget, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: target.host, port: target.port });
    const finish = (error: ConnectorError | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.removeAllListeners('connect');
      if (error) {
        sock.destroy();
        reject(error);
      } else {
        sock.removeAllListeners('error');
        sock.setNoDelay(true);
        resolve(sock);
      }
    };
    const onAbort = () => finish(cancelled());
    const timer = setTimeout(() => finish(noAnswer(target)), settings(target).readyTimeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish(null));
    sock.once('error', (e) => finish(connectError(e, target)));
  });
}

function forwardOut(jump: SshConnection, target: SshTarget, signal?: AbortSignal): Promise<Duplex> {
  const via = address(target.jump!);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: ConnectorError | null, stream?: Duplex) => {
      if (settled) {
        stream?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(stream!);
    };
    const onAbort = () => finish(cancelled());
    const timer = setTimeout(
      () => finish(new ConnectorError('unreachable', `cannot reach ${address(target)} through the jump host ${via}: no answer within ${settings(target).readyTimeoutMs} ms`)),
      settings(target).readyTimeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      jump.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) =>
        err
          ? finish(new ConnectorError('unreachable', `the jump host ${via} cannot open a connection to ${address(target)}: ${err.message}`, { cause: err }))
          : finish(null, stream),
      );
    } catch (e) {
      finish(lostError(target.jump!, (e as Error).message));
    }
  });
}

function handshake(target: SshTarget, sock: Duplex, options: ConnectOptions, jump: SshConnection | null, deadline: number): Promise<SshConnection> {
  const s = settings(target);
  const client = new Client();
  const pin = target.hostKeyFingerprint;
  let presented = '';
  let refusal: ConnectorError | null = null;
  const hostVerifier = (key: Buffer): boolean => {
    presented = fingerprintOf(key);
    if (pin !== undefined) {
      if (normalizeFingerprint(pin) === null) refusal = new ConnectorError('hostkey', `the pinned host key of ${address(target)} ("${pin}") is not a SHA256 fingerprint; pin it again with "Test connection"`);
      else if (!sameFingerprint(pin, presented)) refusal = new HostKeyError(target, normalizeFingerprint(pin), presented);
      return refusal === null;
    }
    if (options.acceptUnknownHostKey) return true;
    refusal = new HostKeyError(target, null, presented);
    return false;
  };
  const methods = [target.privateKey !== undefined ? 'publickey' : null, target.agent !== undefined ? 'agent' : null, target.password !== undefined ? 'password' : null];
  const config: ConnectConfig = {
    sock: sock as ConnectConfig['sock'],
    username: target.username,
    privateKey: target.privateKey,
    passphrase: target.passphrase,
    password: target.password,
    agent: target.agent,
    readyTimeout: Math.max(1, deadline - Date.now()),
    keepaliveInterval: s.keepaliveIntervalMs,
    keepaliveCountMax: s.keepaliveCountMax,
    hostVerifier,
    authHandler: methods.filter((m) => m !== null) as ConnectConfig['authHandler'],
  };

  return new Promise((resolve, reject) => {
    let ready = false;
    let closed = false;
    let closedByUs = false;
    let lastError: Error | null = null;
    const listeners = new Set<(error: ConnectorError) => void>();
    const fail = (error: ConnectorError) => {
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.end();
      sock.destroy();
      reject(error);
    };
    const onAbort = () => fail(cancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const connection: SshConnection = {
      client,
      get fingerprint() {
        return presented;
      },
      get closed() {
        return closed;
      },
      onLost(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close() {
        if (closed) return;
        closedByUs = true;
        client.end();
        setTimeout(() => sock.destroy(), 1000).unref();
        jump?.close();
      },
    };

    client.on('ready', () => {
      ready = true;
      options.signal?.removeEventListener('abort', onAbort);
      client.setNoDelay(true);
      resolve(connection);
    });
    client.on('error', (e) => {
      lastError = e;
      if (!ready) fail(refusal ?? connectError(e, target));
    });
    client.on('close', () => {
      if (closed) return;
      closed = true;
      if (!ready) {
        fail(refusal ?? (lastError ? connectError(lastError, target) : new ConnectorError('unreachable', `${address(target)} closed the connection during the SSH handshake`)));
        return;
      }
      jump?.close();
      const notify = (error: ConnectorError) => {
        for (const l of listeners) l(error);
        listeners.clear();
      };
      if (closedByUs) return notify(new ConnectorError('cancelled', `the connection to ${address(target)} was closed while a command ran`));
      const reason =
        lastError?.message === 'Keepalive timeout'
          ? `no answer to keepalives for ${Math.round((s.keepaliveIntervalMs * (s.keepaliveCountMax + 1)) / 1000)} s (host down or network cut)`
          : lastError
            ? lastError.message
            : 'the host closed the connection (sshd stopped or restarted?)';
      notify(lostError(target, reason));
    });
    try {
      client.connect(config);
    } catch (e) {
      fail(connectError(e, target));
    }
  });
}
