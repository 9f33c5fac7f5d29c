import type { IncomingHttpHeaders } from 'node:http';

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** An origin is allowed when it is KUBEXMS_PUBLIC_ORIGIN or names the host the request was sent to (Host header). */
export function isAllowedOrigin(origin: string, headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  const o = originOf(origin);
  if (!o) return false;
  if (publicOrigin && originOf(publicOrigin) === o) return true;
  const host = headers.host;
  return Boolean(host) && new URL(o).host === host?.toLowerCase();
}

/** The browser's claim of where a request comes from: Origin, else Referer's origin; null when it sent neither. */
export function requestOrigin(headers: IncomingHttpHeaders): string | null {
  if (typeof headers.origin === 'string' && headers.origin.length > 0) return headers.origin;
  if (typeof headers.referer === 'string' && headers.referer.length > 0) return originOf(headers.referer) ?? 'null';
  return null;
}

/**
 * Browsers send Origin on every WebSocket and cross-origin request, but not on a same-origin GET (socket.io's polling handshake);
 * there Sec-Fetch-Site says same-origin. A request with neither comes from no browser and is refused.
 */
export function isAllowedSocketOrigin(headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  if (typeof headers.origin === 'string') return isAllowedOrigin(headers.origin, headers, publicOrigin);
  return headers['sec-fetch-site'] === 'same-origin';
}
