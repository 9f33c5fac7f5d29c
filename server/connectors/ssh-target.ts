export type SshTarget = {
  host: string;
  port: number;
  username: string;
  privateKey?: string;
  passphrase?: string;
  password?: string;
  /** path of an ssh-agent socket (SSH_AUTH_SOCK) */
  agent?: string;
  sudoPassword?: string;
  /** pinned 'SHA256:...' as OpenSSH prints it */
  hostKeyFingerprint?: string;
  jump?: SshTarget;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  connectRetries?: number;
  /** concurrent channels on the one connection; OpenSSH's MaxSessions defaults to 10 */
  maxChannels?: number;
};

export const SSH_DEFAULTS = {
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
  connectRetries: 2,
  maxChannels: 8,
} as const;

export function settings(target: SshTarget) {
  return {
    readyTimeoutMs: target.readyTimeoutMs ?? SSH_DEFAULTS.readyTimeoutMs,
    keepaliveIntervalMs: target.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: target.keepaliveCountMax ?? SSH_DEFAULTS.keepaliveCountMax,
    connectRetries: target.connectRetries ?? SSH_DEFAULTS.connectRetries,
    maxChannels: Math.max(1, target.maxChannels ?? SSH_DEFAULTS.maxChannels),
  };
}

export function address(target: SshTarget): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** "user@host:port" (+ " via user@jump:port") for messages */
export function describeTarget(target: SshTarget): string {
  const self = `${target.username}@${address(target)}`;
  return target.jump ? `${self} via ${describeTarget(target.jump)}` : self;
}

export function authMethods(target: SshTarget): string[] {
  return [
    target.privateKey !== undefined ? (target.passphrase !== undefined ? 'publickey (with passphrase)' : 'publickey') : null,
    target.agent !== undefined ? 'agent' : null,
    target.password !== undefined ? 'password' : null,
  ].filter((m) => m !== null);
}

export const isRootUser = (target: SshTarget) => target.username === 'root';
