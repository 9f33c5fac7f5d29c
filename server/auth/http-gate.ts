import type { IncomingMessage, ServerResponse } from 'node:http';
import { allows, httpRoute, PROCEDURE_RULES, type Rule } from '../contracts/access';
import { CSRF_HEADER, safeNextPath } from '../contracts/auth';
import type { Db } from '../db/client';
import { isAllowedOrigin, requestOrigin } from './origin';
import { requestAuth } from './request-auth';

export const PUBLIC_PROCEDURES: ReadonlySet<string> = new Set(Object.entries(PROCEDURE_RULES).filter(([, rule]) => rule === 'public').map(([p]) => p));
const TRPC_PREFIX = '/api/trpc/';

function isPublicPage(pathname: string, dev: boolean): boolean {
  if (pathname === '/login' || pathname === '/healthz' || pathname === '/favicon.ico' || pathname === '/icon.svg') return true;
  if (pathname.startsWith('/_next/static/')) return true;
  return dev && (pathname.startsWith('/_next/') || pathname.startsWith('/__nextjs'));
}

function json(res: ServerResponse, status: number, code: string, message: string): true {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { message, code: status === 401 ? -32001 : status === 404 ? -32004 : -32003, data: { code, httpStatus: status } } }));
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
  return true;
}

export type HttpGate = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Runs before any routing; returns true when it answered the request itself.
 * tRPC: mutations (POST) need the CSRF header and a same-site Origin/Referer when sent; only auth.login/auth.me go without a session.
 * Other /api/ routes: only those in HTTP_ROUTE_RULES, for the roles their rule allows.
 * Pages: everything but /login, /healthz and static assets needs a session, else 302 to /login?next=….
 */
export function createHttpGate(deps: { db: Db; publicOrigin?: string | undefined; dev: boolean }): HttpGate {
  return (req, res) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(TRPC_PREFIX)) {
      if (method !== 'GET' && method !== 'HEAD') {
        if (req.headers[CSRF_HEADER] !== '1') return json(res, 403, 'FORBIDDEN', `missing ${CSRF_HEADER} header`);
        const origin = requestOrigin(req.headers);
        if (origin !== null && !isAllowedOrigin(origin, req.headers, deps.publicOrigin)) return json(res, 403, 'FORBIDDEN', 'cross-origin request refused');
      }
      const procedures = decodeURIComponent(url.pathname.slice(TRPC_PREFIX.length)).split(',');
      if (procedures.every((p) => PUBLIC_PROCEDURES.has(p)) || requestAuth(deps.db, req)) return false;
      return json(res, 401, 'UNAUTHORIZED', 'login required');
    }
    if (url.pathname.startsWith('/api/')) return gateApiRoute(deps.db, req, res, url.pathname, method);
    if (url.pathname === '/login' && (method === 'GET' || method === 'HEAD') && requestAuth(deps.db, req)) {
      return redirect(res, safeNextPath(url.searchParams.get('next')));
    }
    if (isPublicPage(url.pathname, deps.dev)) return false;
    const auth = requestAuth(deps.db, req);
    if (auth?.user.mustChangePassword && url.pathname !== '/account' && (method === 'GET' || method === 'HEAD')) return redirect(res, '/account');
    if (auth) return false;
    if (method !== 'GET' && method !== 'HEAD') return json(res, 401, 'UNAUTHORIZED', 'login required');
    return redirect(res, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  };
}

function gateApiRoute(db: Db, req: IncomingMessage, res: ServerResponse, pathname: string, method: string): boolean {
  const route = httpRoute(pathname);
  if (!route) return json(res, 404, 'NOT_FOUND', 'no such route');
  if (!(route.methods as readonly string[]).includes(method)) {
    res.writeHead(405, { allow: route.methods.join(', ') }).end();
    return true;
  }
  const rule = route.rule as Rule;
  if (rule === 'public') return false;
  const auth = requestAuth(db, req);
  if (!auth) return json(res, 401, 'UNAUTHORIZED', 'login required');
  if (auth.user.mustChangePassword) return json(res, 403, 'FORBIDDEN', 'change your password first');
  if (!allows(auth.user.role, rule)) return json(res, 403, 'FORBIDDEN', `${route.id} needs the ${rule} role; you are ${auth.user.role}`);
  return false;
}
