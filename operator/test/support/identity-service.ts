import { ADMIN_SCOPE } from '@lanyard/contracts';
import { testSecrets } from '@lanyard/testing';

/** A JSON response from the identity service. */
export interface JsonResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/**
 * The test's own view of the real identity service, over HTTP like the operator: the admin API with
 * the bootstrap client, and the token endpoint with a client's credentials.
 */
export function identityService(baseUrl: () => string) {
  const token = async () => {
    const response = await fetch(`${baseUrl()}/tenants/system/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${testSecrets.bootstrapClientId}:${testSecrets.bootstrapClientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: ADMIN_SCOPE }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const admin = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> => {
    const response = await fetch(`${baseUrl()}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  return {
    admin,
    /** `client_credentials` at the tenant's real token endpoint (RFC 6749 §4.4), client_secret_basic. */
    async clientCredentials(issuer: string, clientId: string, clientSecret: string): Promise<JsonResponse> {
      const response = await fetch(`${issuer}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}

/** Decodes a Secret's data. */
export function secretData(secret: { data?: Record<string, string> } | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}
