import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { freePort } from '@lanyard/testing';
import { admin as adminSql } from './bench-database.js';
import { mapInParallel } from './in-parallel.js';
import { RESOURCE, SERVICE_CLIENT, SERVICE_SCOPE, WEB_CLIENT, WEB_REDIRECT } from './lanyard.js';
import { pidsWhere, spawnPinnedCommand, waitForHttp } from './processes.js';
import { benchSecrets, settings } from './settings.js';

/** The Keycloak distribution the bench runs: Quarkus, from Maven Central, needs Java ≥ 21. */
export const KEYCLOAK_VERSION = process.env.BENCH_KEYCLOAK_VERSION ?? '26.7.3';
export const KEYCLOAK_LABEL = `Keycloak ${KEYCLOAK_VERSION} (PostgreSQL)`;
const DIST_URL = `https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/${KEYCLOAK_VERSION}/keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`;
/** Beside the other built test tools (scripts/build-k8s-test-bins.sh): outside the clone, so fresh clones reuse it. */
const CACHE = join(process.env.LANYARD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lanyard'), `keycloak-${KEYCLOAK_VERSION}`);
const REALM = 'bench';
const ADMIN = { username: 'bench-admin', password: 'bench-admin-password-0123456789' };
const USER = { username: 'bench-user', email: 'bench-user@bench.example' };
/** What refresh tokens are granted. Keycloak issues them without offline_access (that one would mint offline sessions). */
const REFRESH_SCOPE = 'openid email orders:read';

interface KeycloakInstall {
  readonly home: string;
  readonly javaHome: string;
}

/**
 * Keycloak, downloaded once into ~/.cache/lanyard and built for PostgreSQL (`kc.sh build
 * --db=postgres`, what `start --optimized` needs). Returns why not when it cannot be had (no network,
 * no Java ≥ 21): the bench then reports the peer as missing and goes on.
 */
async function ensureKeycloak(): Promise<KeycloakInstall | { readonly missing: string }> {
  const javaHome = findJava21();
  if (javaHome === undefined) return { missing: 'no Java ≥ 21 under /usr/lib/jvm (set BENCH_KEYCLOAK_JAVA_HOME)' };
  const home = join(CACHE, `keycloak-${KEYCLOAK_VERSION}`);
  const built = join(CACHE, '.built-for-postgres');
  if (existsSync(built)) return { home, javaHome };
  try {
    mkdirSync(CACHE, { recursive: true });
    const archive = join(CACHE, 'dist.tar.gz.part');
    const response = await fetch(DIST_URL);
    if (!response.ok || response.body === null) return { missing: `${DIST_URL}: HTTP ${response.status}` };
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(archive));
    rmSync(home, { recursive: true, force: true });
    execFileSync('tar', ['xzf', archive, '-C', CACHE]);
    rmSync(archive);
    execFileSync(join(home, 'bin', 'kc.sh'), ['build', '--db=postgres'], { env: { ...process.env, JAVA_HOME: javaHome }, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(built, `${new Date().toISOString()}\n`);
    return { home, javaHome };
  } catch (error) {
    return { missing: `could not fetch or build Keycloak ${KEYCLOAK_VERSION}: ${(error as Error).message}` };
  }
}

function findJava21(): string | undefined {
  const candidates = [process.env.BENCH_KEYCLOAK_JAVA_HOME, process.env.JAVA_HOME, ...safeList('/usr/lib/jvm').map((name) => join('/usr/lib/jvm', name))];
  for (const candidate of candidates) {
    if (candidate === undefined || !existsSync(join(candidate, 'bin', 'java'))) continue;
    // `java -version` prints `openjdk version "25.0.3" …` on stderr.
    const banner = spawnSync(join(candidate, 'bin', 'java'), ['-version'], { encoding: 'utf8' }).stderr ?? '';
    if (Number(/version "(\d+)/.exec(banner)?.[1] ?? 0) >= 21) return candidate;
  }
  return undefined;
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory).sort().reverse();
  } catch {
    return [];
  }
}

/** A PostgreSQL database for Keycloak on the bench's server, kept across rounds so later starts skip its migrations. */
async function keycloakDatabase(): Promise<{ readonly name: string; release(): Promise<void> }> {
  const name = `keycloak_bench_${process.pid}`;
  await adminSql(`drop database if exists ${name} with (force)`);
  await adminSql(`create database ${name}`);
  return { name, release: () => adminSql(`drop database if exists ${name} with (force)`) };
}

export interface KeycloakServer {
  readonly issuer: string;
  readonly tokenUrl: string;
  /** The JVM's pid, whose CPU is measured: kc.sh starts it as a child and forwards signals. */
  readonly pid: number;
  /** `count` refresh tokens, each from its own password grant (its own user session). */
  mint(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * `kc.sh start --optimized` in production mode over plain HTTP, pinned like the other servers, on
 * the bench's PostgreSQL, then configured through its admin REST API: a realm signing with ES256,
 * a confidential client_credentials client with the `orders:read` scope and the bench audience, and
 * a client with refresh-token rotation (`revokeRefreshToken`, no reuse) for the refresh bench.
 */
async function startKeycloak(install: KeycloakInstall, databaseName: string): Promise<KeycloakServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const db = new URL(settings.databaseAdminUrl);
  const child = spawnPinnedCommand(
    settings.serverCpus,
    join(install.home, 'bin', 'kc.sh'),
    [
      'start',
      '--optimized',
      '--http-enabled=true',
      `--http-port=${port}`,
      '--http-host=127.0.0.1',
      '--hostname-strict=false',
      `--db-url=jdbc:postgresql://${db.hostname}:${db.port || '5432'}/${databaseName}`,
      `--db-username=${decodeURIComponent(db.username)}`,
      `--db-password=${decodeURIComponent(db.password)}`,
    ],
    { JAVA_HOME: install.javaHome, KC_BOOTSTRAP_ADMIN_USERNAME: ADMIN.username, KC_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password },
  );
  try {
    // A first start migrates its schema and bootstraps the master realm: most of a minute on two cores.
    await waitForHttp(`${base}/realms/master/.well-known/openid-configuration`, child, 240_000);
    await configureRealm(base);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const issuer = `${base}/realms/${REALM}`;
  const tokenUrl = `${issuer}/protocol/openid-connect/token`;
  return {
    issuer,
    tokenUrl,
    pid: jvmOf(child.pid),
    mint: (count) => mintRefreshTokens(tokenUrl, count),
    stop: () => child.stop(),
  };
}

/** The JVM kc.sh started: it marks it with `-Dkc.script.pid=<the script's pid>`. */
function jvmOf(scriptPid: number): number {
  const marker = `-Dkc.script.pid=${scriptPid}`;
  const [pid] = pidsWhere((candidate) => readFileSync(`/proc/${candidate}/cmdline`, 'utf8').split('\0').includes(marker));
  if (pid === undefined) throw new Error(`no JVM started by kc.sh (pid ${scriptPid}) found`);
  return pid;
}

/** Admin REST calls against the master realm's token; creates the bench realm once per database. */
async function configureRealm(base: string): Promise<void> {
  const token = await passwordGrant(`${base}/realms/master/protocol/openid-connect/token`, { client_id: 'admin-cli', username: ADMIN.username, password: ADMIN.password });
  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${base}/admin/realms${path}`, {
      method,
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 400 && !(method === 'GET' && response.status === 404)) throw new Error(`Keycloak admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  if ((await admin('GET', `/${REALM}`)).status === 200) return;

  await admin('POST', '', {
    realm: REALM,
    enabled: true,
    defaultSignatureAlgorithm: 'ES256',
    // Rotation as Lanyard and the peer do it: every refresh token is single-use.
    revokeRefreshToken: true,
    refreshTokenMaxReuse: 0,
    accessTokenLifespan: 300,
    // Refresh pools are minted by password grants; the hash is set-up cost, not what is measured.
    passwordPolicy: 'hashAlgorithm(pbkdf2-sha256) and hashIterations(1)',
  });
  const realm = (await (await admin('GET', `/${REALM}`)).json()) as { id: string };
  await admin('POST', `/${REALM}/components`, {
    name: 'ecdsa-p256',
    providerId: 'ecdsa-generated',
    providerType: 'org.keycloak.keys.KeyProvider',
    parentId: realm.id,
    config: { priority: ['200'], enabled: ['true'], active: ['true'], ecdsaEllipticCurveKey: ['P-256'] },
  });
  await admin('POST', `/${REALM}/client-scopes`, {
    name: SERVICE_SCOPE,
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
    protocolMappers: [
      {
        name: 'bench audience',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: { 'included.custom.audience': RESOURCE, 'access.token.claim': 'true', 'id.token.claim': 'false', 'introspection.token.claim': 'true' },
      },
    ],
  });
  // `basic` carries sub and auth_time; the realm's other default scopes (roles, profile, …) would
  // add claims the other servers do not sign.
  await admin('POST', `/${REALM}/clients`, {
    clientId: SERVICE_CLIENT,
    secret: benchSecrets.serviceSecret,
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    defaultClientScopes: ['basic'],
    optionalClientScopes: [SERVICE_SCOPE],
  });
  await admin('POST', `/${REALM}/clients`, {
    clientId: WEB_CLIENT,
    secret: benchSecrets.webSecret,
    publicClient: false,
    clientAuthenticatorType: 'client-secret',
    standardFlowEnabled: true,
    // Only so the bench can mint sessions without a browser; the refresh grant is what is measured.
    directAccessGrantsEnabled: true,
    redirectUris: [WEB_REDIRECT],
    attributes: { 'id.token.signed.response.alg': 'ES256', 'access.token.signed.response.alg': 'ES256' },
    defaultClientScopes: ['basic', 'email'],
    optionalClientScopes: [SERVICE_SCOPE],
  });
  await admin('POST', `/${REALM}/users`, {
    username: USER.username,
    email: USER.email,
    emailVerified: true,
    enabled: true,
    firstName: 'Bench',
    lastName: 'User',
    credentials: [{ type: 'password', value: benchSecrets.userPassword, temporary: false }],
  });
}

async function passwordGrant(tokenUrl: string, fields: Record<string, string>): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', ...fields }),
  });
  if (response.status !== 200) throw new Error(`Keycloak password grant at ${tokenUrl}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

/** Sixteen password grants in flight at a time, each a new user session with its own refresh token. */
async function mintRefreshTokens(tokenUrl: string, count: number): Promise<string[]> {
  return mapInParallel(count, 16, async () => {
    const grant = await passwordGrant(tokenUrl, {
      client_id: WEB_CLIENT,
      client_secret: benchSecrets.webSecret,
      username: USER.username,
      password: benchSecrets.userPassword,
      scope: REFRESH_SCOPE,
    });
    return grant.refresh_token;
  });
}

/** Keycloak as one of a bench's targets: installed and given a database once, started afresh each round. */
export interface KeycloakPeer {
  /** Why Keycloak is not in this run (reported in place of its figures), or undefined. */
  readonly missing: string | undefined;
  /** Starts Keycloak, runs `body` against it and stops it; undefined when it is missing. */
  round<T>(body: (server: KeycloakServer) => Promise<T>): Promise<T | undefined>;
  release(): Promise<void>;
}

export async function keycloakPeer(): Promise<KeycloakPeer> {
  const install = settings.keycloak ? await ensureKeycloak() : { missing: 'left out (BENCH_KEYCLOAK=0)' };
  if ('missing' in install) {
    console.log(`${KEYCLOAK_LABEL}: missing — ${install.missing}`);
    return { missing: install.missing, round: async () => undefined, release: async () => {} };
  }
  const database = await keycloakDatabase();
  return {
    missing: undefined,
    async round(body) {
      const server = await startKeycloak(install, database.name);
      try {
        return await body(server);
      } finally {
        await server.stop();
      }
    },
    release: () => database.release(),
  };
}
