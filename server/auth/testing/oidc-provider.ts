import http from 'node:http';
// @ts-expect-error oidc-provider 8 ships no types; the test uses a handful of its options
import Provider from 'oidc-provider';

export type TestAccount = { email?: string; email_verified?: boolean; preferred_username?: string; groups?: string[] };
export type TestProvider = { issuer: string; clientId: string; clientSecret: string; close: () => Promise<void> };

/** A real OpenID provider (oidc-provider, dev interactions: any password signs in as the typed login) on 127.0.0.1. */
export async function startOidcProvider(opts: { port: number; issuer?: string; redirectUri: string; accounts: Record<string, TestAccount> }): Promise<TestProvider> {
  const issuer = opts.issuer ?? `http://127.0.0.1:${opts.port}`;
  const client = { clientId: 'kubexms-test', clientSecret: 'test-client-secret-0123456789abcdef' };
  const provider = new Provider(issuer, {
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [opts.redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true, methods: ['S256'] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, id: string) => {
      const account = opts.accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
  }) as { callback: () => http.RequestListener };
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    ...client,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

