/**
 * A minimal browser for protocol tests: a cookie jar (name, path, expiry; `Secure` is honoured as
 * "sent over our loopback http", which browsers also allow for localhost), manual redirects, and
 * form submission from the hosted pages' HTML. The real-browser journeys use Chromium; this keeps
 * the many protocol cases fast.
 */
export class UserAgent {
  /** Keyed by name and path, as browsers keep them: one issuer's cookie never replaces another's. */
  readonly #jar = new Map<string, { name: string; value: string; path: string }>();

  /** `headers` go with every request, e.g. `x-forwarded-for` to appear from a given network. */
  constructor(private readonly headers: Record<string, string> = {}) {}

  /** The cookie `name` (of `path`, or of any path when omitted). */
  cookie(name: string, path?: string): string | undefined {
    return [...this.#jar.values()].find((c) => c.name === name && (path === undefined || c.path === path))?.value;
  }

  setCookie(name: string, value: string, path = '/'): void {
    this.#jar.set(`${name};${path}`, { name, value, path });
  }

  deleteCookie(name: string): void {
    for (const [key, c] of this.#jar) if (c.name === name) this.#jar.delete(key);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = [...this.#jar.values()].filter((c) => target.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) if (!headers.has(name)) headers.set(name, value);
    if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const raw of response.headers.getSetCookie()) this.#store(raw);
    return response;
  }

  /** Follows redirects from `url` until one leaves `origin` or a page answers; returns the last response and URL. */
  async navigate(url: string, init: RequestInit = {}, stopAt?: string): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      current = new URL(response.headers.get('location')!, current).toString();
      if (stopAt !== undefined && current.startsWith(stopAt)) return { response, url: current };
      response = await this.request(current);
    }
    return { response, url: current };
  }

  /** Submits the first form on an HTML page with `fields` overriding its inputs. */
  async submitForm(pageUrl: string, html: string, fields: Record<string, string>, stopAt?: string, button?: { name: string; value: string }): Promise<{ response: Response; url: string }> {
    return this.submitFormTo(pageUrl, html, '', fields, stopAt, button);
  }

  /** Submits the first form whose action ends with `actionSuffix` ('' matches any). */
  async submitFormTo(pageUrl: string, html: string, actionSuffix: string, fields: Record<string, string>, stopAt?: string, button?: { name: string; value: string }): Promise<{ response: Response; url: string }> {
    const form = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => decodeEntities(f[1]!).endsWith(actionSuffix));
    if (form === undefined) throw new Error(`no form posting to …${actionSuffix} on page:\n${html}`);
    const body = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input([^>]*)>/g)) {
      const name = /\bname="([^"]*)"/.exec(input[1]!)?.[1];
      if (name !== undefined) body.set(name, decodeEntities(/\bvalue="([^"]*)"/.exec(input[1]!)?.[1] ?? ''));
    }
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    if (button !== undefined) body.set(button.name, button.value);
    const action = new URL(decodeEntities(form[1]!), pageUrl).toString();
    return this.navigate(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, stopAt);
  }

  #store(raw: string): void {
    const [pair, ...attributes] = raw.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    let path = '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key, val] = attribute.split('=');
      if (key!.toLowerCase() === 'path') path = val ?? '/';
      if (key!.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key!.toLowerCase() === 'expires' && Date.parse(val ?? '') <= Date.now()) expired = true;
    }
    if (expired || value === '') this.#jar.delete(`${name};${path}`);
    else this.#jar.set(`${name};${path}`, { name, value, path });
  }
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}
