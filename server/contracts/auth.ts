/** Header every tRPC mutation carries; a cross-site form or simple request cannot set it. */
export const CSRF_HEADER = 'x-kubexms-csrf';

/** A same-site path to return to after login; anything else (//host, /\host, absolute URLs, control chars) becomes "/". */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\0-\x1f\x7f]/.test(next)) return '/';
  return next;
}
