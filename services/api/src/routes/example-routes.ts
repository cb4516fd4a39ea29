import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { DEMO_CLIENT_ID, DEMO_TENANT } from '../bootstrap/seed-demo.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../../../../examples/spa/', import.meta.url));
/** The files served, by name; a Map, so `constructor` or `__proto__` is just an unknown name. */
const FILES: ReadonlyMap<string, string> = new Map([
  ['index.html', 'text/html; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['style.css', 'text/css; charset=utf-8'],
]);

/**
 * Development only (SEED_DEMO): serves the demo SPA from `examples/spa` at `/examples/spa/`, with
 * a `config.json` pointing it at the seeded demo tenant. Not registered in production, and a no-op
 * when the examples folder is not shipped (container images).
 */
export function registerExampleRoutes(app: FastifyInstance, deps: { readonly config: Pick<ApiConfig, 'SEED_DEMO' | 'PUBLIC_URL'>; readonly tenants: Pick<TenantLookup, 'issuer'> }): void {
  if (!deps.config.SEED_DEMO || !existsSync(EXAMPLE_DIR)) return;
  const base = `${deps.config.PUBLIC_URL}/examples/spa/`;
  const config = JSON.stringify({
    issuer: deps.tenants.issuer(DEMO_TENANT),
    clientId: DEMO_CLIENT_ID,
    redirectUri: `${base}callback`,
    postLogoutRedirectUri: base,
  });
  const headers = {
    'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  app.get('/examples/spa/config.json', { schema: { hide: true } }, async (_request, reply) => reply.headers(headers).type('application/json').send(config));
  const serve = (file: string, reply: FastifyReply) => {
    const type = FILES.get(file);
    if (type === undefined) return reply.callNotFound();
    return reply.headers(headers).type(type).send(readFileSync(`${EXAMPLE_DIR}${file}`));
  };
  app.get('/examples/spa/', { schema: { hide: true } }, async (_request, reply) => serve('index.html', reply));
  app.get('/examples/spa/:file', { schema: { hide: true } }, async (request, reply) => {
    const requested = (request.params as { file: string }).file;
    return serve(requested === 'callback' ? 'index.html' : requested, reply);
  });
  app.get('/examples/spa', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/examples/spa/', 301));
}
