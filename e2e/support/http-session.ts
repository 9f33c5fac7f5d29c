import { CSRF_HEADER } from '../../server/contracts/auth';

export const ADMIN_USER = 'admin';

export type TrpcAnswer<T = unknown> = { status: number; headers: Headers; data?: T; error?: { message: string; data?: { code?: string; httpStatus?: number } } };

async function answer<T>(res: Response): Promise<TrpcAnswer<T>> {
  const body = (await res.json()) as { result?: { data: T }; error?: TrpcAnswer['error'] };
  return { status: res.status, headers: res.headers, data: body.result?.data, error: body.error };
}

/** GET a tRPC query (no transformer: input is plain JSON). */
export async function trpcQuery<T = unknown>(baseUrl: string, path: string, opts: { cookie?: string; input?: unknown } = {}): Promise<TrpcAnswer<T>> {
  const qs = opts.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(opts.input))}`;
  return answer<T>(await fetch(`${baseUrl}/api/trpc/${path}${qs}`, { headers: opts.cookie ? { cookie: opts.cookie } : {} }));
}

/** POST a tRPC mutation the way the web app does (CSRF header, same-origin Origin) unless headers override it. */
export async function trpcMutation<T = unknown>(baseUrl: string, path: string, input: unknown, opts: { cookie?: string; headers?: Record<string, string> } = {}): Promise<TrpcAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1', origin: new URL(baseUrl).origin, ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  return answer<T>(await fetch(`${baseUrl}/api/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) }));
}

/** Logs in over HTTP and returns the `kxms_session=…` cookie pair to send back. */
export async function loginCookie(baseUrl: string, password: string, username = ADMIN_USER): Promise<string> {
  const res = await trpcMutation(baseUrl, 'auth.login', { username, password });
  const setCookie = res.headers.get('set-cookie');
  if (res.status !== 200 || !setCookie) throw new Error(`login failed: ${res.status} ${res.error?.message ?? ''}`);
  return setCookie.split(';')[0] ?? '';
}
