import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { readBody } from './read-body.js';

/** What is wrong with the ID tokens the upstream issues next. */
export type IdTokenDefect = 'none' | 'wrong-issuer' | 'wrong-audience' | 'expired' | 'unpublished-key' | 'no-nonce';

export interface ScriptedPerson {
  readonly sub: string;
  readonly email: string;
  readonly emailVerified: boolean;
}

export interface ScriptedUpstream {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The person the upstream signs in (it has no login page: it approves every request at once). */
  person: ScriptedPerson;
  defect: IdTokenDefect;
  /** Milliseconds the token endpoint waits before answering. */
  tokenDelayMs: number;
  /** The `auth_time` (epoch seconds) its ID tokens state; none when undefined, as many providers do. */
  authTime: number | undefined;
  /** The query of the last authorization request it received. */
  lastAuthorization: URLSearchParams | undefined;
  /** How often each document was fetched, and token requests whose PKCE verifier matched. */
  readonly fetched: { discovery: number; jwks: number; token: number; pkceVerified: number };
  /** Replaces the signing key with a new one (a new `kid`); the JWKS publishes only the new key. */
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * A small OpenID provider whose ID tokens can be made wrong on purpose, the hostile upstream
 * the refusal tests need (a well-behaved provider, such as oidc-provider or a Lanyard tenant,
 * never signs a token for the wrong audience). It still plays its part of the protocol strictly:
 * exact redirect URI, client_secret_basic, single-use codes and an S256 PKCE check, so a
 * sign-in that succeeds here proves our side sent a correct request.
 */
export async function startScriptedUpstream(redirectUri: string): Promise<ScriptedUpstream> {
  const clientId = 'lanyard-acme';
  const clientSecret = randomBytes(24).toString('base64url');
  const codes = new Map<string, { nonce: string | undefined; challenge: string; person: ScriptedPerson }>();
  let keys = await newKey();

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => json(res, 500, { error: 'server_error', error_description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const upstream: ScriptedUpstream = {
    issuer,
    clientId,
    clientSecret,
    person: { sub: 'scripted-1', email: 'someone@upstream.example', emailVerified: true },
    defect: 'none',
    tokenDelayMs: 0,
    authTime: undefined,
    lastAuthorization: undefined,
    fetched: { discovery: 0, jwks: 0, token: 0, pkceVerified: 0 },
    rotateKey: async () => {
      keys = await newKey();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      upstream.fetched.discovery += 1;
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') {
      upstream.fetched.jwks += 1;
      return json(res, 200, { keys: [keys.publicJwk] });
    }
    if (url.pathname === '/authorize') return authorize(url, res);
    if (url.pathname === '/token' && req.method === 'POST') return token(req, res);
    return json(res, 404, { error: 'not_found' });
  }

  function authorize(url: URL, res: ServerResponse) {
    const p = url.searchParams;
    upstream.lastAuthorization = new URLSearchParams(p);
    if (p.get('client_id') !== clientId || p.get('redirect_uri') !== redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
    const back = new URL(redirectUri);
    back.searchParams.set('iss', issuer);
    if (p.get('state') !== null) back.searchParams.set('state', p.get('state')!);
    if (p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || p.get('code_challenge') === null) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: p.get('nonce') ?? undefined, challenge: p.get('code_challenge')!, person: upstream.person });
      back.searchParams.set('code', code);
    }
    res.writeHead(303, { location: back.toString() }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    upstream.fetched.token += 1;
    const form = new URLSearchParams(await readBody(req));
    if (upstream.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, upstream.tokenDelayMs));
    const credentials = basicCredentials(req.headers.authorization);
    if (credentials?.id !== clientId || credentials.secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (grant === undefined || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== redirectUri) return json(res, 400, { error: 'invalid_grant' });
    if (createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    upstream.fetched.pkceVerified += 1;
    return json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: await idToken(grant.person, grant.nonce) });
  }

  async function idToken(person: ScriptedPerson, nonce: string | undefined): Promise<string> {
    const defect = upstream.defect;
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = defect === 'expired' ? now - 7_200 : now;
    const signer = defect === 'unpublished-key' ? await newKey() : keys;
    const claims = { email: person.email, email_verified: person.emailVerified, ...(upstream.authTime === undefined ? {} : { auth_time: upstream.authTime }) };
    return new SignJWT({ ...claims, ...(defect === 'no-nonce' || nonce === undefined ? {} : { nonce }) })
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(defect === 'wrong-issuer' ? 'https://impostor.example' : issuer)
      .setAudience(defect === 'wrong-audience' ? 'another-client' : clientId)
      .setSubject(person.sub)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3_600)
      .sign(signer.privateKey);
  }

  return upstream;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomBytes(8).toString('hex');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return colon === -1 ? undefined : { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}
