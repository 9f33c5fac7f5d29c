/** A minimal browser for the sign-in dance: one cookie jar (cookies ignore ports, as browsers do), manual redirects, the provider's forms submitted. */
export class OidcBrowser {
  readonly jar = new Map<string, string>();

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async send(url: string, init: RequestInit): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
      if (value === '' || /max-age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /** From kubexms' start URL through the provider's login and consent forms, up to (not into) the callback; returns the callback URL. */
  async signInAt(startUrl: string, login: string, callbackPrefix: string): Promise<string> {
    let url = startUrl;
    for (let i = 0; i < 20; i++) {
      const res = await this.get(url);
      const location = res.headers.get('location');
      if (location) {
        const next = new URL(location, url).href;
        if (next.startsWith(callbackPrefix)) return next;
        if (next.includes('/login?error=')) throw new Error(`kubexms refused: ${decodeURIComponent(next.split('error=')[1] ?? '')}`);
        url = next;
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page at ${url} (${res.status}): ${html.slice(0, 300)}`);
      const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      const posted = await this.send(new URL(action, url).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      url = new URL(posted.headers.get('location') ?? url, url).href;
      if (url.startsWith(callbackPrefix)) return url;
    }
    throw new Error('sign-in did not reach the callback');
  }
}
