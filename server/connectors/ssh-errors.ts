import { ConnectorError } from './connector';
import type { ExecResult } from './connector';
import { address, authMethods, describeTarget, settings } from './ssh-target';
import type { SshTarget } from './ssh-target';

/** A refused host key; `got` lets a UI show the fingerprint the host presented. */
export class HostKeyError extends ConnectorError {
  readonly host: string;
  readonly expected: string | null;
  readonly got: string;
  constructor(target: SshTarget, expected: string | null, got: string) {
    const where = address(target);
    super(
      'hostkey',
      expected === null
        ? `host key of ${where} is not pinned (it presented ${got}). Check this fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it with "Test connection" before running.`
        : `HOST KEY CHANGED for ${where}: expected ${expected}, got ${got}. The host was reinstalled or its keys regenerated, or someone is intercepting the connection. Check the new fingerprint on the host, then pin it again with "Test connection".`,
    );
    this.name = 'HostKeyError';
    this.host = where;
    this.expected = expected;
    this.got = got;
  }
}

type SshError = Error & { level?: string; code?: string };

const SOCKET_HINTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is sshd running and listening on that port?)',
  EHOSTUNREACH: 'no route to host (is the address right and the host up?)',
  ENETUNREACH: 'network unreachable from the control node',
  ECONNRESET: 'connection reset by the host (sshd or a firewall dropped it)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS not answering)',
};

/** The words a person reads for a socket error code (ECONNREFUSED → "connection refused (is sshd running …)"). */
export function socketHint(err: unknown): string | undefined {
  const code = (err as SshError | null)?.code;
  return code ? SOCKET_HINTS[code] : undefined;
}

export function noAnswer(target: SshTarget): ConnectorError {
  const s = Math.round(settings(target).readyTimeoutMs / 1000);
  return new ConnectorError('unreachable', `cannot reach ${address(target)}: no answer within ${s} s (host down, wrong address or port, or a firewall dropping packets)`);
}

/** Maps an ssh2 / socket failure while connecting to a ConnectorError a user can act on. */
export function connectError(err: unknown, target: SshTarget): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as SshError;
  const where = address(target);
  const msg = e?.message ?? String(err);
  if (e?.level === 'client-authentication') {
    const tried = authMethods(target);
    return new ConnectorError(
      'auth',
      tried.length === 0
        ? `no authentication method given for ${target.username}@${where}: add a private key, a password or an agent`
        : `authentication failed for ${target.username}@${where}; tried: ${tried.join(', ')}. Check the user name and the credentials, and that sshd allows these methods for this user.`,
      { cause: err },
    );
  }
  if (e?.level === 'agent') return new ConnectorError('auth', `ssh-agent ${target.agent} failed for ${target.username}@${where}: ${msg}`, { cause: err });
  if (/privateKey|passphrase|private key/i.test(msg)) {
    return new ConnectorError('auth', `cannot use the private key for ${target.username}@${where}: ${msg}`, { cause: err });
  }
  const hint = socketHint(err);
  if (hint) return new ConnectorError('unreachable', `cannot connect to ${where}: ${hint}`, { cause: err });
  if (e?.code === 'ETIMEDOUT') return noAnswer(target);
  if (e?.level === 'client-timeout') {
    return new ConnectorError('timeout', `SSH handshake with ${where} did not finish within ${settings(target).readyTimeoutMs} ms (the port answers but sshd does not)`, { cause: err });
  }
  return new ConnectorError('unreachable', `SSH connection to ${where} failed: ${msg}`, { cause: err });
}

export function lostError(target: SshTarget, reason: string): ConnectorError {
  return new ConnectorError('unreachable', `connection lost to ${describeTarget(target)}: ${reason}`);
}

export function tailLines(text: string, lines = 20, maxChars = 2000): string {
  const t = text.trimEnd().split('\n').slice(-lines).join('\n');
  return t.length > maxChars ? t.slice(-maxChars) : t;
}

/** For callers that need success: a 'command' failure with the exit code and the last lines of stderr. */
export function ensureSuccess<R extends Pick<ExecResult, 'exitCode' | 'signal' | 'stderr'>>(result: R, what: string, target?: SshTarget): R {
  if (result.exitCode === 0) return result;
  const stderrTail = tailLines(result.stderr);
  const status = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
  const on = target ? ` on ${address(target)}` : '';
  throw new ConnectorError('command', `${what} failed${on} (${status})${stderrTail ? `:\n${stderrTail}` : ''}`, { exitCode: result.exitCode, stderrTail });
}
