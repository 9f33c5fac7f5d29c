const HEX = /^[0-9a-fA-F]{64}$/;
const B64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** A 32-byte key written as 64 hex digits or base64 / base64url; null when it is neither. */
export function parseSecretKey(text: string): Buffer | null {
  const s = text.trim();
  if (HEX.test(s)) return Buffer.from(s, 'hex');
  if (B64.test(s)) {
    const key = Buffer.from(s.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

export const SECRET_KEY_HINT = 'must be 32 bytes written as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)';
