import crypto from 'node:crypto';

const VERSION = 1;
const NONCE = 12;
const TAG = 16;
const HEADER = 1 + NONCE;

export type SecretBox = {
  /** Identifies the key (a hash of it, not the key): stored beside each ciphertext. */
  readonly keyId: string;
  seal: (plaintext: string | Buffer, aad: string) => Buffer;
  open: (sealed: Buffer, aad: string) => Buffer;
};

export class SecretDecryptError extends Error {
  constructor(aad: string) {
    super(`cannot decrypt ${aad}: wrong key, or the value was moved or altered`);
    this.name = 'SecretDecryptError';
  }
}

/** AAD binding a value to its place: a ciphertext copied to another row or field fails to open. */
export function secretAad(table: string, rowId: string | number, field: string): string {
  return `${table}:${rowId}:${field}`;
}

export function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update('kubexms secret key id\0').update(key).digest('hex').slice(0, 16);
}

/** AES-256-GCM; sealed = version(1) | nonce(12) | ciphertext | tag(16), a random nonce per value. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new TypeError('secret key must be 32 bytes');
  const k = Buffer.from(key);
  return {
    keyId: keyIdOf(k),
    seal(plaintext, aad) {
      const nonce = crypto.randomBytes(NONCE);
      const cipher = crypto.createCipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, aad) {
      if (sealed.length < HEADER + TAG || sealed[0] !== VERSION) throw new SecretDecryptError(aad);
      const decipher = crypto.createDecipheriv('aes-256-gcm', k, sealed.subarray(1, HEADER), { authTagLength: TAG });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(HEADER, sealed.length - TAG)), decipher.final()]);
      } catch {
        throw new SecretDecryptError(aad);
      }
    },
  };
}
