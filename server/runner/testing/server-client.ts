import { CSRF_HEADER } from '../../contracts/auth';

/** Logs in to a running server over HTTP and calls tRPC procedures with the session cookie, as the browser does. */
export async function loginClient(url: string, password: string) {
  const res = await fetch(`${url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const call = async <T>(path: string, input: unknown, method: 'GET' | 'POST'): Promise<T> => {
    const q = method === 'GET' ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
    const r = await fetch(`${url}/api/trpc/${path}${q}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', [CSRF_HEADER]: '1' },
      ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
    });
    const body = (await r.json()) as { result?: { data: T }; error?: { message: string } };
    if (!body.result) throw new Error(`${path}: ${r.status} ${body.error?.message ?? JSON.stringify(body)}`);
    return body.result.data;
  };
  return {
    cookie,
    mutate: <T>(path: string, input: unknown) => call<T>(path, input, 'POST'),
    query: <T>(path: string, input: unknown) => call<T>(path, input, 'GET'),
  };
}
