import { ADMIN_SCOPE, SYSTEM_TENANT } from '@lanyard/contracts';
import { IdentityServiceUnavailable } from './identity-errors.js';

/** Options of {@link AdminTokenSource}. */
export interface AdminTokenSourceOptions {
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/**
 * Admin access tokens from the `system` tenant's token endpoint (`client_credentials`, scope
 * `lanyard:admin`, docs/reference/admin-api.md "Authentication"). A token is reused until 30 s
 * (or 10 % of its lifetime) before it expires, so a quiet reconcile makes no token request;
 * concurrent callers share one request.
 */
export class AdminTokenSource {
  readonly #options: AdminTokenSourceOptions;
  #cached: { token: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;

  constructor(options: AdminTokenSourceOptions) {
    this.#options = options;
  }

  /** A valid bearer token. */
  async token(): Promise<string> {
    const now = (this.#options.now ?? Date.now)();
    if (this.#cached !== undefined && now < this.#cached.refreshAt) return this.#cached.token;
    this.#inflight ??= this.#request().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Forget the cached token (the API answered 401: revoked, or keys rotated). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #request(): Promise<string> {
    const { apiUrl, clientId, clientSecret, timeoutMs } = this.#options;
    const doFetch = this.#options.fetch ?? fetch;
    const url = `${apiUrl}/tenants/${SYSTEM_TENANT}/oauth2/token`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        // RFC 6749 §2.3.1: client_secret_basic, form-urlencoded credentials.
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: ADMIN_SCOPE }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new IdentityServiceUnavailable(`token endpoint unreachable: ${(error as Error).message}`, { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
    if (response.status >= 500 || response.status === 429) {
      throw new IdentityServiceUnavailable(`token endpoint answered ${response.status}`);
    }
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      // A rejected admin credential is a configuration problem, but the cure (fixing the Secret the
      // operator runs with) happens outside the reconcile, so it is retried like an outage.
      throw new IdentityServiceUnavailable(`admin client_credentials grant refused (${response.status} ${body.error ?? ''}); check LANYARD_ADMIN_CLIENT_ID/SECRET`);
    }
    const lifetimeMs = (body.expires_in ?? 60) * 1000;
    const now = (this.#options.now ?? Date.now)();
    this.#cached = { token: body.access_token, refreshAt: now + lifetimeMs - Math.min(30_000, lifetimeMs / 10) };
    return body.access_token;
  }
}
