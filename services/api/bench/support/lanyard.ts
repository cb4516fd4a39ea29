import { randomBytes } from 'node:crypto';
import { benchSecrets, settings } from './settings.js';
import { freePort } from '@lanyard/testing';
import { spawnPinned, waitForHttp, type PinnedProcess } from './processes.js';

export const BENCH_TENANT = 'bench';
export const SERVICE_CLIENT = 'bench-service';
export const WEB_CLIENT = 'bench-web';
export const WEB_REDIRECT = 'https://web.bench.example/callback';
/** Audience of bench access tokens, also the peer's resource indicator, so both sign the same shape. */
export const RESOURCE = 'https://api.bench.example';
export const SERVICE_SCOPE = 'orders:read';
/** The client_credentials request both sides get (Basic auth in the header). */
export const CLIENT_CREDENTIALS_BODY = `grant_type=client_credentials&scope=${encodeURIComponent(SERVICE_SCOPE)}`;

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A confidential client_credentials client with the bench's scope and audience, as the admin API takes it. */
export function serviceClientSpec(secret: string, displayName?: string) {
  return {
    type: 'confidential',
    ...(displayName === undefined ? {} : { displayName }),
    grantTypes: ['client_credentials'],
    redirectUris: [],
    postLogoutRedirectUris: [],
    allowedCorsOrigins: [],
    scopes: [SERVICE_SCOPE],
    audience: [RESOURCE],
    secret,
  };
}

export interface LanyardServer {
  readonly baseUrl: string;
  readonly issuer: string;
  readonly process: PinnedProcess;
  stop(): Promise<void>;
}

/**
 * The real API as production runs it: `node --import tsx services/api/src/server.ts`, NODE_ENV
 * production, LOG_LEVEL warn, pinned to the server CPUs, against the bench database and a fresh
 * Redis key prefix (so rate-limit windows never carry over between runs). `entry` swaps the entry
 * point (the limiter A/B cross-check, the production bundle); `fixedPort` lets a restarted process
 * take its predecessor's address (the fault suite); `cpus` pins a second replica elsewhere (scale-out).
 */
export async function startLanyard(databaseUrl: string, env: Record<string, string> = {}, entry = 'services/api/src/server.ts', fixedPort?: number, cpus = settings.serverCpus): Promise<LanyardServer> {
  const port = fixedPort ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const processUnderTest = spawnPinned(cpus, entry, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    PUBLIC_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
    KEY_ENCRYPTION_KEY: benchSecrets.keyEncryptionKey,
    BOOTSTRAP_ADMIN_CLIENT_ID: benchSecrets.bootstrapClientId,
    BOOTSTRAP_ADMIN_CLIENT_SECRET: benchSecrets.bootstrapClientSecret,
    UV_THREADPOOL_SIZE: String(settings.uvThreadpoolSize),
    PASSWORD_HASH_CONCURRENCY: String(settings.passwordHashConcurrency),
    ARGON2_MEMORY_KIB: String(settings.argon2.memoryCost),
    ARGON2_TIME_COST: String(settings.argon2.timeCost),
    ARGON2_PARALLELISM: String(settings.argon2.parallelism),
    // Both limits stay *on* (the limiter's Redis call is part of what we measure), just high enough
    // that a bench never hits them: the token limit is per tenant+client per minute.
    RATE_LIMIT_TOKEN_PER_MINUTE: '1000000',
    LOGIN_FAILURE_BURST: '1000',
    RATE_LIMIT_INTERACTIONS_PER_MINUTE: '1000000',
    ...settings.apiEnv,
    ...env,
  });
  await waitForHttp(`${baseUrl}/readyz`, processUnderTest);
  return { baseUrl, issuer: `${baseUrl}/tenants/${BENCH_TENANT}`, process: processUnderTest, stop: () => processUnderTest.stop() };
}

/**
 * The bench tenant through the admin API (idempotent PUTs, so a reused bench database is fine):
 * - `bench-service`: confidential, client_credentials, scope orders:read, audience RESOURCE;
 * - `bench-web`: confidential first-party web client, code + refresh, body delivery;
 * - `users` users with the bench password (Argon2id at the configured parameters).
 */
export async function ensureBenchTenant(server: LanyardServer, users = 8): Promise<{ emails: string[] }> {
  const token = await adminToken(server.baseUrl);
  const admin = async (method: string, path: string, body: unknown, okStatuses: number[] = [200, 201]) => {
    const response = await fetch(`${server.baseUrl}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!okStatuses.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  await admin('PUT', `/tenants/${BENCH_TENANT}`, { displayName: 'Bench' });
  await admin('PUT', `/tenants/${BENCH_TENANT}/clients/${SERVICE_CLIENT}`, serviceClientSpec(benchSecrets.serviceSecret));
  await admin('PUT', `/tenants/${BENCH_TENANT}/clients/${WEB_CLIENT}`, {
    type: 'confidential',
    displayName: 'Bench Web',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [WEB_REDIRECT],
    postLogoutRedirectUris: [],
    allowedCorsOrigins: [],
    scopes: ['openid', 'email', 'offline_access', SERVICE_SCOPE],
    audience: [RESOURCE],
    firstParty: true,
    secret: benchSecrets.webSecret,
  });
  const emails = Array.from({ length: users }, (_, i) => `user${i}@bench.example`);
  for (const email of emails) {
    // 409: the user exists from an earlier run against the same database.
    await admin('POST', `/tenants/${BENCH_TENANT}/users`, { email, password: benchSecrets.userPassword, emailVerified: true, name: email }, [201, 409]);
  }
  return { emails };
}

export async function adminToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/tenants/system/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(benchSecrets.bootstrapClientId, benchSecrets.bootstrapClientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  if (response.status !== 200) throw new Error(`admin token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One client_credentials request as the bench sends it; fails loudly if the setup is wrong. */
export async function checkClientCredentials(tokenUrl: string, clientId: string, secret: string, body: string): Promise<void> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(clientId, secret) },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`client_credentials probe at ${tokenUrl}: ${response.status} ${text}`);
  const token = (JSON.parse(text) as { access_token: string }).access_token;
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: string };
  if (header.alg !== 'ES256') throw new Error(`expected an ES256 JWT access token from ${tokenUrl}, got ${token.slice(0, 40)}…`);
}
