import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { readBody } from './read-body.js';

export interface UpstreamAccount {
  readonly email: string;
  readonly password: string;
  readonly emailVerified: boolean;
  readonly name: string;
}

export interface OidcProviderUpstream {
  /** The upstream's issuer (loopback http). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Requests its userinfo endpoint has answered. */
  readonly userinfoRequests: () => number;
  /** Adds a person who can sign in at the upstream; returns their upstream subject. */
  addAccount(account: UpstreamAccount): string;
  close(): Promise<void>;
}

/**
 * node-oidc-provider (the npm `oidc-provider`, 9.x) as an upstream identity provider on a loopback
 * port: one confidential client for our federation callback, PKCE required, its own login page
 * (email + password, kept in memory) and no consent step for that client. Standard claims are
 * released by scope through userinfo, as oidc-provider does by default for the code flow
 * (`conformIdTokenClaims`), so our side's userinfo fallback is exercised too.
 */
export async function startOidcProviderUpstream(redirectUri: string): Promise<OidcProviderUpstream> {
  const accounts = new Map<string, UpstreamAccount & { subject: string }>();
  const clientId = 'lanyard-acme';
  const clientSecret = 'oidc-provider-upstream-secret-0123456789';
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'upstream-1', alg: 'ES256', use: 'sig' };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['oidc-provider-upstream-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3_600, Grant: 3_600, AccessToken: 300, IdToken: 300, AuthorizationCode: 60 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const account = [...accounts.values()].find((a) => a.subject === id);
      return account === undefined ? undefined : { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified, name: account.name }) };
    },
    // Our client is first-party at this upstream: grant what it asks for without a consent page.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined }; params: { scope?: string } } }) => {
      const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing !== undefined) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  let userinfo = 0;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url!, issuer).pathname;
    if (path === '/me') userinfo += 1;
    if (!/^\/interaction\/[\w-]+$/.test(path)) return callback(req, res);
    void handleLogin(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  /** The upstream's own sign-in page: a form, then `interactionFinished` with the account found. */
  async function handleLogin(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const account = accounts.get(form.get('email') ?? '');
      if (account !== undefined && account.password === form.get('password')) {
        return provider.interactionFinished(req, res, { login: { accountId: account.subject } }, { mergeWithLastSubmission: false });
      }
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Upstream sign-in</title><form method="post" action="/interaction/${details.uid}"><input name="email"><input name="password" type="password"><button>Sign in</button></form>`);
  }

  let subjects = 0;
  return {
    issuer,
    clientId,
    clientSecret,
    userinfoRequests: () => userinfo,
    addAccount(account) {
      subjects += 1;
      const subject = `op-user-${subjects}`;
      accounts.set(account.email, { ...account, subject });
      return subject;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
