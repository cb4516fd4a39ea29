import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort } from '@lanyard/testing';

const EXAMPLE_DIR = fileURLToPath(new URL('../../../../examples/spa/', import.meta.url));
const TYPES: Record<string, string> = { 'index.html': 'text/html', 'app.js': 'text/javascript', 'style.css': 'text/css' };

/**
 * Serves `examples/spa` from its own origin, as a real deployment would (the app and the issuer on
 * different origins), with `config.json` pointing at the test issuer.
 */
export async function startSpaServer(port: number, config: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname.slice(1);
    if (path === 'config.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
      return;
    }
    const file = path === '' || path === 'callback' ? 'index.html' : path;
    const type = TYPES[file];
    if (type === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': type, 'content-security-policy': "default-src 'self'; connect-src *" }).end(readFileSync(`${EXAMPLE_DIR}${file}`));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The demo SPA on a port of its own, registered at the fixture's `acme` tenant as a first-party
 * public client `clientId` (its origin allowed for CORS, its callback and home page registered).
 */
export async function startRegisteredSpa(fx: { admin: { put(url: string, body: unknown): Promise<unknown> }; issuer: string }, clientId: string, displayName: string): Promise<{ origin: string; close(): Promise<void> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  await fx.admin.put(`/tenants/acme/clients/${clientId}`, {
    type: 'public',
    displayName,
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [`${origin}/callback`],
    postLogoutRedirectUris: [`${origin}/`],
    allowedCorsOrigins: [origin],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    firstParty: true,
  });
  return startSpaServer(port, { issuer: fx.issuer, clientId, redirectUri: `${origin}/callback`, postLogoutRedirectUri: `${origin}/` });
}
