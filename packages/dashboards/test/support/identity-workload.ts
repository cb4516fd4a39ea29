import { createHash, randomBytes } from 'node:crypto';

/** What the workload did, so the test can tell which series must have moved. */
export interface WorkloadReport {
  readonly statuses: Record<string, number[]>;
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

/** RFC 6749 §2.3.1 client_secret_basic, how confidential clients authenticate by default. */
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

/** A cookie jar over fetch with manual redirects: just enough browser for the hosted sign-in pages. */
class Browser {
  readonly #cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set('cookie', [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const raw of response.headers.getSetCookie()) {
      const [pair = ''] = raw.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(raw)) this.#cookies.delete(pair.slice(0, eq));
      else this.#cookies.set(pair.slice(0, eq), value);
    }
    return response;
  }

  /** Follows redirects until a page answers or the next hop starts with `stopAt`. */
  async navigate(url: string, init: RequestInit = {}, stopAt?: string): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      current = new URL(response.headers.get('location') ?? '', current).toString();
      if (stopAt !== undefined && current.startsWith(stopAt)) return { response, url: current };
      response = await this.request(current);
    }
    return { response, url: current };
  }

  /** Submits the page's first form with `fields` over its inputs (and an optional button). */
  async submit(pageUrl: string, html: string, fields: Record<string, string>, stopAt: string, button?: [string, string]) {
    const match = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (match === null) throw new Error(`no form on ${pageUrl}:\n${html.slice(0, 2000)}`);
    const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
    const body: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input([^>]*)>/g)) {
      const name = /\bname="([^"]*)"/.exec(input[1] ?? '')?.[1];
      if (name !== undefined) body[name] = decode(/\bvalue="([^"]*)"/.exec(input[1] ?? '')?.[1] ?? '');
    }
    Object.assign(body, fields);
    if (button !== undefined) body[button[0]] = button[1];
    return this.navigate(new URL(decode(match[1] ?? ''), pageUrl).toString(), form(body), stopAt);
  }
}

export interface IdentityWorkload {
  /** One round of traffic: client_credentials (good and bad), a sign-in with one wrong password, a code, refreshes, a bad refresh. */
  round(): Promise<void>;
  /** More client_credentials requests than RATE_LIMIT_TOKEN_PER_MINUTE allows. */
  burst(count: number): Promise<void>;
  readonly report: WorkloadReport;
}

const NATIVE_REDIRECT = 'http://127.0.0.1/callback';
const PASSWORD = 'correct horse battery staple';

/**
 * Drives the real API over HTTP as its clients do: sets up tenant `acme` through the admin API
 * (with the bootstrap admin client), then produces successful and failed logins, token grants and
 * refreshes, so every series the dashboards read has moved.
 */
export async function identityWorkload(baseUrl: string, admin: { clientId: string; secret: string }): Promise<IdentityWorkload> {
  const statuses: Record<string, number[]> = {};
  const note = (what: string, status: number) => (statuses[what] ??= []).push(status);
  const token = async (tenant: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/tenants/${tenant}/oauth2/token`, form(fields, headers));
    const body = (await response.json()) as Record<string, string>;
    note(`token ${fields.grant_type}`, response.status);
    return { status: response.status, body };
  };
  const issued = await token('system', { grant_type: 'client_credentials' }, basic(admin.clientId, admin.secret));
  const adminToken = issued.body.access_token;
  if (adminToken === undefined) throw new Error(`no admin token: ${issued.status} ${JSON.stringify(issued.body)}`);
  const adminCall = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, string>;
  };
  await adminCall('PUT', '/tenants/acme', { displayName: 'Acme' });
  await adminCall('PUT', '/tenants/acme/clients/acme-native', {
    type: 'public',
    displayName: 'Acme Desktop',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [NATIVE_REDIRECT],
    scopes: ['openid', 'email', 'offline_access'],
  });
  const service = await adminCall('PUT', '/tenants/acme/clients/acme-service', { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['orders:read'] });
  const email = 'alice@acme.example';
  await adminCall('POST', '/tenants/acme/users', { email, password: PASSWORD, emailVerified: true, name: 'Alice' });
  const serviceSecret = service.clientSecret ?? '';

  const clientCredentials = (secret: string) => token('acme', { grant_type: 'client_credentials', scope: 'orders:read' }, basic('acme-service', secret));

  async function signInForCode(): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${baseUrl}/tenants/acme/oauth2/authorize`);
    const params = {
      response_type: 'code',
      client_id: 'acme-native',
      redirect_uri: NATIVE_REDIRECT,
      scope: 'openid email offline_access',
      state: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
    const browser = new Browser();
    let step = await browser.navigate(authorize.toString(), {}, NATIVE_REDIRECT);
    // One wrong password first: a failed login (invalid_credentials).
    step = await browser.submit(step.url, await step.response.text(), { email, password: 'not the password' }, NATIVE_REDIRECT);
    note('login (wrong password)', step.response.status);
    for (let i = 0; i < 3 && !step.url.startsWith(NATIVE_REDIRECT); i += 1) {
      const html = await step.response.text();
      step = step.url.includes('/login')
        ? await browser.submit(step.url, html, { email, password: PASSWORD }, NATIVE_REDIRECT)
        : await browser.submit(step.url, html, {}, NATIVE_REDIRECT, ['decision', 'approve']);
    }
    const code = new URL(step.url).searchParams.get('code');
    if (code === null) throw new Error(`the sign-in did not end with a code; landed on ${step.url} (${step.response.status})`);
    note('login', 200);
    return { code, verifier };
  }

  return {
    report: { statuses },
    async round() {
      await clientCredentials(serviceSecret);
      await clientCredentials(serviceSecret);
      await clientCredentials('a-wrong-secret-for-acme-service');
      const { code, verifier } = await signInForCode();
      const redeemed = await token('acme', { grant_type: 'authorization_code', client_id: 'acme-native', code, redirect_uri: NATIVE_REDIRECT, code_verifier: verifier });
      let refresh = redeemed.body.refresh_token ?? '';
      for (let i = 0; i < 2; i += 1) refresh = (await token('acme', { grant_type: 'refresh_token', client_id: 'acme-native', refresh_token: refresh })).body.refresh_token ?? '';
      await token('acme', { grant_type: 'refresh_token', client_id: 'acme-native', refresh_token: 'not-a-refresh-token' });
    },
    async burst(count) {
      for (let i = 0; i < count; i += 1) await clientCredentials(serviceSecret);
    },
  };
}
