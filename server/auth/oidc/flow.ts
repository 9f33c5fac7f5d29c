import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { safeNextPath } from '../../contracts/auth';
import type { Db } from '../../db/client';
import { ServiceError } from '../../errors';
import { isSecureRequest, readCookie, sessionCookie } from '../cookie';
import { startSession } from '../login';
import { remoteAddress } from '../request-auth';
import { roleFromClaims, usernameFromClaims, type OidcClaims } from './claims';
import type { OidcSettings } from './env';
import { provisionOidcUser } from './provision';

export const OIDC_COOKIE = 'kxms_oidc';
export const OIDC_START_PATH = '/api/auth/oidc/start';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1000;

type Pending = { state: string; nonce: string; verifier: string; next: string; redirectUri: string; at: number };
export type OidcFlow = { name: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> };

/** openid-client wraps the precise reason (state mismatch, the provider's invalid_grant) in cause / error fields. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return 'error';
  const e = err as Error & { error?: unknown; error_description?: unknown };
  const parts = [e.message];
  if (typeof e.error === 'string') parts.push(typeof e.error_description === 'string' ? `${e.error} (${e.error_description})` : e.error);
  else if (e.cause instanceof Error && e.cause.message !== e.message) parts.push(e.cause.message);
  return parts.join(': ').slice(0, 300);
}

const loopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** Authorization code flow with PKCE; state, nonce and verifier stay on the server, bound to the browser by a one-use cookie. */
export function createOidcFlow(settings: OidcSettings, deps: { db: Db; publicOrigin?: string | undefined }): OidcFlow {
  const pending = new Map<string, Pending>();
  let config: Promise<client.Configuration> | null = null;
  const discover = () => {
    // plain http only for a provider on this machine (tests, development); anything else must be https
    const options = settings.issuer.protocol === 'http:' && loopback(settings.issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
    config ??= client.discovery(settings.issuer, settings.clientId, undefined, settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None(), options).catch((err: unknown) => {
      config = null;
      throw err;
    });
    return config;
  };
  const origin = (req: IncomingMessage) => deps.publicOrigin?.replace(/\/$/, '') ?? `${isSecureRequest(req, undefined) ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  const secure = (req: IncomingMessage) => isSecureRequest(req, deps.publicOrigin);
  const bindingCookie = (value: string, req: IncomingMessage, maxAge: number) =>
    // Lax: the provider sends the browser back with a cross-site top-level GET, which Strict would strip
    [`${OIDC_COOKIE}=${value}`, `Path=${OIDC_CALLBACK_PATH}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure(req) ? ['Secure'] : [])].join('; ');

  const fail = (res: ServerResponse, message: string) => {
    res.writeHead(302, { location: `/login?error=${encodeURIComponent(message)}`, 'cache-control': 'no-store' }).end();
  };

  async function start(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const cfg = await discover();
    const now = Date.now();
    for (const [k, p] of pending) if (now - p.at > PENDING_TTL_MS || pending.size > MAX_PENDING) pending.delete(k);
    const p: Pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next: safeNextPath(url.searchParams.get('next')), redirectUri: `${origin(req)}${OIDC_CALLBACK_PATH}`, at: now };
    const binding = crypto.randomBytes(32).toString('base64url');
    pending.set(binding, p);
    const target = client.buildAuthorizationUrl(cfg, {
      redirect_uri: p.redirectUri,
      scope: `openid email profile${settings.roleClaim === 'groups' ? ' groups' : ''}`,
      code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: 'S256',
      state: p.state,
      nonce: p.nonce,
    });
    res.writeHead(302, { location: target.href, 'set-cookie': bindingCookie(binding, req, PENDING_TTL_MS / 1000), 'cache-control': 'no-store' }).end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const binding = readCookie(req, OIDC_COOKIE);
    const p = binding ? pending.get(binding) : undefined;
    if (binding) pending.delete(binding);
    res.setHeader('set-cookie', bindingCookie('', req, 0));
    if (!p || Date.now() - p.at > PENDING_TTL_MS) return fail(res, 'single sign-on failed: no sign-in in progress in this browser (expired or already used); start again');
    const cfg = await discover();
    const current = new URL(`${p.redirectUri}${url.search}`);
    const tokens = await client.authorizationCodeGrant(cfg, current, { pkceCodeVerifier: p.verifier, expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    const info = await client.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
    const claims: OidcClaims = { ...idClaims, ...info, sub: idClaims.sub };
    const role = roleFromClaims(settings, claims);
    if (!role) return fail(res, 'single sign-on: your account is not allowed here (no mapped group and no allowed email domain)');
    const address = remoteAddress(req);
    const user = provisionOidcUser(deps.db, `${cfg.serverMetadata().issuer} ${idClaims.sub}`, usernameFromClaims(claims), role, address);
    const { token } = startSession(deps.db, user, { address, userAgent: req.headers['user-agent'] }, 'oidc');
    // A page, not a redirect: a Strict cookie set in a chain that began on another site is not sent until a same-site navigation.
    const next = p.next.replace(/[&"<>']/g, encodeURIComponent);
    res.writeHead(200, { 'set-cookie': [bindingCookie('', req, 0), sessionCookie(token, secure(req))], 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}"><title>Signed in</title></head><body><p>Signed in. <a href="${next}">Continue</a></p></body></html>`);
  }

  return {
    name: settings.name,
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (url.pathname === OIDC_START_PATH) return await start(req, res, url);
        return await callback(req, res, url);
      } catch (err) {
        if (res.headersSent) return void res.end();
        if (err instanceof ServiceError) return fail(res, `single sign-on: ${err.message}`);
        const message = describeError(err);
        console.error(`kubexms: single sign-on failed: ${message}`);
        fail(res, `single sign-on failed: ${message}`);
      }
    },
  };
}
