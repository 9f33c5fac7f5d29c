import { createHash } from 'node:crypto';

const PREFIX = 'SHA256:';

/** OpenSSH's fingerprint of a raw public key blob (wire format): 'SHA256:' + base64 without padding. */
export function fingerprintOf(keyBlob: Buffer): string {
  return PREFIX + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** Fingerprint of a public key line as in authorized_keys / *.pub / known_hosts: "ssh-ed25519 AAAA... comment". */
export function fingerprintOfPublicKeyLine(line: string): string {
  const parts = line.trim().split(/\s+/);
  const blob = parts.find((p) => p.startsWith('AAAA'));
  if (!blob) throw new TypeError('not an OpenSSH public key line');
  return fingerprintOf(Buffer.from(blob, 'base64'));
}

/** Accepts 'SHA256:abc', 'sha256:abc=', ' abc ' and returns the canonical 'SHA256:abc', or null when it is not a SHA256 fingerprint. */
export function normalizeFingerprint(value: string): string | null {
  const v = value.trim();
  const body = (v.toUpperCase().startsWith(PREFIX) ? v.slice(PREFIX.length) : v).replace(/=+$/, '');
  return /^[A-Za-z0-9+/]{43}$/.test(body) ? PREFIX + body : null;
}

export function sameFingerprint(a: string, b: string): boolean {
  const na = normalizeFingerprint(a);
  return na !== null && na === normalizeFingerprint(b);
}
