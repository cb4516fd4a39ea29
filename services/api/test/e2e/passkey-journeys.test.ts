import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, CDPSession, Page, Response } from 'playwright-core';
import { startBlackholeProxy } from '@lanyard/testing';
import { launchBrowser } from '../support/browser.js';
import { discover, startAuthorization, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';


/**
 * Passkeys in Chromium with the DevTools WebAuthn virtual authenticator (a platform authenticator
 * with resident keys and user verification): register one on the account page, sign out, sign in
 * passwordless, use it as the second factor of an app's sign-in, rename it, remove it (a first passkey
 * comes with recovery codes, and the last one takes them along); and a ceremony run
 * from another origin is refused by the server. PUBLIC_URL is `http://localhost:…`, since WebAuthn
 * takes no IP address as its RP ID.
 */
describe('passkey journeys (Chromium, virtual authenticator)', () => {
  let fx: OAuthFixture;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  const pages: Response[] = [];
  const cspViolations: string[] = [];
  const email = 'passkey-user@acme.example';
  const password = 'a passphrase for passkeys';
  let userId: string;
  let app: Server;
  let appRedirect: string;
  let appSecret: string;

  beforeAll(async () => {
    fx = await startOAuthFixture({}, { publicHost: 'localhost' });
    // The app: a loopback page its redirect URI points at, so the browser really lands there.
    app = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><p>back at the app</p>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appRedirect = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
    appSecret = (
      await fx.admin.put('/tenants/acme/clients/passkey-app', { type: 'confidential', grantTypes: ['authorization_code'], redirectUris: [appRedirect], scopes: ['openid', 'email'], firstParty: true })
    ).json().clientSecret;
    userId = (await fx.admin.post('/tenants/acme/users', { email, password, emailVerified: true, name: 'Pat Key' })).json().id;
    browser = await launchBrowser();
    browser.context.on('response', (response) => {
      if ((response.headers()['content-type'] ?? '').startsWith('text/html') && new URL(response.url()).pathname.startsWith('/tenants/acme/')) pages.push(response);
    });
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await fx?.close();
  });

  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  const sessionAmr = async () => (await fx.admin.get(`/tenants/acme/users/${userId}/sessions`)).json().items[0]?.amr as string[] | undefined;
  /** An app's authorization request, answered on the sign-in page with a password; the page goes on from there. */
  const appSignInWithPassword = async (clientId: string, clientSecret: string, userEmail: string) => {
    const config = await discover(fx.issuer, clientId, clientSecret);
    const start = await startAuthorization(config, appRedirect, 'openid email');
    await page.goto(start.url.toString());
    await page.getByLabel('Email').fill(userEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return { config, start };
  };
  const signOut = async () => {
    await page.goto(`${fx.issuer}/account`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
    await page.waitForURL(`${fx.issuer}/account/login?notice=signed_out`);
  };

  it('registers a passkey on the account page; it is named, discoverable and listed', async () => {
    await page.goto(`${fx.issuer}/account/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${fx.issuer}/account`);
    await page.getByLabel('Name of the passkey').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // The user's first second factor: its recovery codes are shown once, then the account page.
    await page.waitForURL(`${fx.issuer}/account/recovery-codes`);
    expect(await page.locator('ol.codes li').allTextContents()).toHaveLength(10);
    await page.getByRole('link', { name: 'I have saved them, back to your account' }).click();
    await page.waitForURL(`${fx.issuer}/account?notice=passkey_added`);
    await page.getByText('Your passkey was added.').waitFor();
    await page.getByText('10 of 10 unused').waitFor();
    await page.getByRole('button', { name: 'Remove passkey Test laptop' }).waitFor();
    const stored = await credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.isResidentCredential).toBe(true);
    const factors = (await fx.admin.get(`/tenants/acme/users/${userId}/factors`)).json().items;
    expect(factors).toHaveLength(2);
    expect(factors).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'passkey', name: 'Test laptop', deviceType: 'singleDevice', backedUp: false }), expect.objectContaining({ kind: 'recovery_codes', remaining: 10 })]));
    // This browser just proved it holds the key: its session counts two factors.
    expect(await sessionAmr()).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
  });

  it('signs out, then signs in with the passkey alone (passwordless, user verified)', async () => {
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${fx.issuer}/account`);
    await page.getByText(`Signed in as ${email}`).waitFor();
    expect(await sessionAmr()).toEqual(expect.arrayContaining(['hwk', 'user', 'mfa']));
    expect(await sessionAmr()).not.toContain('pwd');
  });

  it('after a password, an app sign-in asks for the passkey as the second factor; the ID token says so', async () => {
    await signOut();
    const { config, start } = await appSignInWithPassword('passkey-app', appSecret, email);
    await page.waitForURL(`${fx.issuer}/login/second-factor`, { timeout: 10_000 });
    // No authenticator app: the passkey is the only way offered (no code form).
    expect(await page.getByLabel('Authentication code').count()).toBe(0);
    // The codes the passkey came with are offered in its place.
    expect(await page.getByText('Use a recovery code').count()).toBe(1);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL((url) => url.toString().startsWith(appRedirect), { timeout: 10_000 });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
    expect(claims.acr).toBe('urn:lanyard:acr:mfa');
  });

  it('a ceremony run from another origin under the same RP ID (another port of localhost) is refused by the server', async () => {
    await signOut();
    // The same server through a forwarding port: the browser accepts RP ID `localhost` there and
    // signs, but clientDataJSON names the other origin, which the server must refuse.
    const forward = await startBlackholeProxy({ host: '127.0.0.1', port: Number(new URL(fx.issuer).port) });
    try {
      const other = `http://localhost:${forward.port}/tenants/acme`;
      await page.goto(`${other}/account/login`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByText('That passkey could not sign you in.').waitFor({ timeout: 10_000 });
      expect(page.url()).toBe(`${other}/account/login/passkey`);
    } finally {
      await forward.close();
    }
    await fx.api.ctx.audit.flush();
    const refused = await fx.api.database.query<{ reason: string }>("select reason from audit_events where event = 'mfa' and result = 'failure' and reason = 'webauthn_invalid'");
    expect(refused.rowCount).toBeGreaterThan(0);
  });

  it('renames the passkey from the account page under the rule it was named by, and only its owner can', async () => {
    await page.goto(`${fx.issuer}/account/login`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${fx.issuer}/account`);
    await page.getByText('Rename', { exact: true }).click();
    await page.getByLabel('New name for passkey Test laptop').fill('  Work key  ');
    await page.getByRole('button', { name: 'Save the name' }).click();
    await page.waitForURL(`${fx.issuer}/account?notice=passkey_renamed`);
    await page.getByText('The passkey was renamed.').waitFor();
    await page.getByRole('button', { name: 'Remove passkey Work key' }).waitFor();
    const storedName = async () => ((await fx.admin.get(`/tenants/acme/users/${userId}/factors`)).json().items as Array<{ kind: string; name?: string }>).find((f) => f.kind === 'passkey')?.name;
    expect(await storedName()).toBe('Work key');

    // What the form would never send, posted as a script could: refused, and the name stays.
    const renameForm = page.locator('form[action$="/account/passkeys/rename"]');
    const fields = { csrf_token: await renameForm.locator('input[name=csrf_token]').inputValue(), passkey_id: await renameForm.locator('input[name=passkey_id]').inputValue() };
    const post = (form: Record<string, string>, session = page) => session.request.post(`${fx.issuer}/account/passkeys/rename`, { form, maxRedirects: 0 });
    const rename = async (form: Record<string, string>, session = page) => {
      const answer = await post(form, session);
      expect(answer.status()).toBe(303);
      return new URL(answer.headers().location!, fx.issuer).search;
    };
    for (const bad of ['', '   ', 'right\u202eto-left', 'zero\u200bwidth', 'x'.repeat(101)]) {
      expect(await rename({ ...fields, passkey_name: bad })).toBe('?error=passkey_name');
    }
    // Control characters and oversized values stop at the form reader, as on every hosted form.
    for (const bad of ['nul\u0000byte', 'two\nlines', 'y'.repeat(60_000)]) {
      const answer = await post({ ...fields, passkey_name: bad });
      expect(answer.status()).toBe(400);
      expect(answer.headers()['content-type']).toMatch(/^text\/html/);
    }
    expect(await rename({ ...fields, passkey_id: '00000000-0000-4000-8000-000000000000', passkey_name: 'Stolen' })).toBe('?error=unknown_passkey');
    expect(await rename({ ...fields, passkey_id: 'not-a-uuid', passkey_name: 'Stolen' })).toBe('?error=unknown_passkey');
    expect(await storedName()).toBe('Work key');

    // Another user, signed in in a browser of their own, cannot rename this passkey by its id.
    const otherEmail = 'other-passkey-user@acme.example';
    await fx.admin.post('/tenants/acme/users', { email: otherEmail, password, emailVerified: true });
    const other = await launchBrowser();
    try {
      const otherPage = await other.context.newPage();
      await otherPage.goto(`${fx.issuer}/account/login`);
      await otherPage.getByLabel('Email').fill(otherEmail);
      await otherPage.getByLabel('Password').fill(password);
      await otherPage.getByRole('button', { name: 'Sign in', exact: true }).click();
      await otherPage.waitForURL(`${fx.issuer}/account`);
      const otherCsrf = await otherPage.locator('form[action$="/account/passkeys"] input[name=csrf_token]').inputValue();
      expect(await rename({ csrf_token: otherCsrf, passkey_id: fields.passkey_id, passkey_name: 'Stolen' }, otherPage)).toBe('?error=unknown_passkey');
    } finally {
      await other.close();
    }
    expect(await storedName()).toBe('Work key');
    await signOut();
  });

  it('removes the passkey from the account page; it no longer signs in', async () => {
    await page.goto(`${fx.issuer}/account/login`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${fx.issuer}/account`);
    await page.getByRole('button', { name: 'Remove passkey Work key' }).click();
    // The last second factor: its recovery codes went with it.
    await page.waitForURL(`${fx.issuer}/account?notice=last_factor_removed`);
    await page.getByText('your recovery codes were removed too').waitFor();
    expect((await fx.admin.get(`/tenants/acme/users/${userId}/factors`)).json().items).toEqual([]);
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByText('That passkey could not sign you in.').waitFor();
    expect(page.url()).toBe(`${fx.issuer}/account/login/passkey`);
  });

  it('a sign-in that must set up a second factor can add a passkey instead of an app; the ID token says so', async () => {
    const enrolEmail = 'enrol-passkey@acme.example';
    const enrolUserId = (await fx.admin.post('/tenants/acme/users', { email: enrolEmail, password, emailVerified: true })).json().id as string;
    const secret = (
      await fx.admin.put('/tenants/acme/clients/mfa-app', { type: 'confidential', grantTypes: ['authorization_code'], redirectUris: [appRedirect], scopes: ['openid', 'email'], firstParty: true, requireMfa: true })
    ).json().clientSecret;
    const { config, start } = await appSignInWithPassword('mfa-app', secret, enrolEmail);
    await page.waitForURL(`${fx.issuer}/login/enrol`, { timeout: 10_000 });
    // A name the rule refuses comes back to the page, which still offers both ways.
    await page.getByLabel('Name of the passkey').fill('x'.repeat(100));
    await page.getByLabel('Name of the passkey').evaluate((input) => ((input as { value: string }).value = 'bidi\u202eoverride'));
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`${fx.issuer}/login/enrol?error=passkey_name`);
    await page.getByText('Give the passkey a name').waitFor();
    expect((await fx.admin.get(`/tenants/acme/users/${enrolUserId}/factors`)).json().items).toEqual([]);

    await page.getByLabel('Name of the passkey').fill('Phone');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // Recovery codes come with the first factor, whichever kind it is; then the sign-in goes on.
    await page.waitForURL(`${fx.issuer}/login/enrol/codes`, { timeout: 10_000 });
    expect(await page.locator('ol.codes li').allTextContents()).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved them, continue' }).click();
    await page.waitForURL((url) => url.toString().startsWith(appRedirect), { timeout: 10_000 });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
    expect(tokens.claims()!.acr).toBe('urn:lanyard:acr:mfa');
    // The passkey is the only factor: the secret the page showed was never confirmed and is gone.
    const factors = (await fx.admin.get(`/tenants/acme/users/${enrolUserId}/factors`)).json().items;
    expect(factors).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'passkey', name: 'Phone', deviceType: 'singleDevice' }), expect.objectContaining({ kind: 'recovery_codes', remaining: 10 })]));
    expect(factors).toHaveLength(2);
    expect((await fx.api.database.query('select 1 from totp_factors where user_id = $1', [enrolUserId])).rowCount).toBe(0);
    await signOut();
  });

  it('the authenticator-app set-up page draws its QR code inline, with no script and no CSP violation', async () => {
    await page.goto(`${fx.issuer}/account/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${fx.issuer}/account`);
    const setup = page.waitForResponse((r) => r.url() === `${fx.issuer}/account/totp`);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const response = await setup;
    expect(response.headers()['content-security-policy']).not.toContain('script-src');
    const qr = page.getByRole('img', { name: /QR code to add Acme/ });
    await qr.waitFor();
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(await page.locator('code.secret').textContent()).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  });

  it('every page kept its CSP and framing headers; only passkey pages allow a script, by nonce, and nothing was refused', () => {
    expect(pages.length).toBeGreaterThan(5);
    for (const response of pages) {
      const csp = response.headers()['content-security-policy'] ?? '';
      expect(csp, response.url()).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(csp, response.url()).not.toMatch(/unsafe-inline|unsafe-eval/);
      const script = /script-src ([^;]+)/.exec(csp)?.[1];
      if (script !== undefined) expect(script, response.url()).toMatch(/^'nonce-[A-Za-z0-9_-]{22}'$/);
      expect(response.headers()['x-frame-options'], response.url()).toBe('DENY');
    }
    expect(pages.some((r) => /script-src/.test(r.headers()['content-security-policy'] ?? ''))).toBe(true);
    expect(cspViolations).toEqual([]);
  });
});
