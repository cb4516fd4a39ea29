import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** Thin JSON helper over `app.inject` for admin API calls with a bearer token. */
export function adminClient(app: FastifyInstance, token: string) {
  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  return {
    get: (url: string) => call('GET', url),
    put: (url: string, body: unknown) => call('PUT', url, body),
    post: (url: string, body: unknown) => call('POST', url, body),
    patch: (url: string, body: unknown) => call('PATCH', url, body),
    delete: (url: string) => call('DELETE', url),
  };
}

export type AdminClient = ReturnType<typeof adminClient>;
