import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { PASSWORD, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';
import { startRegisteredSpa } from '../support/static-spa-server.js';
import { authorizeUrl } from '../support/oauth-helpers.js';

/**
 * The hosted pages in a real browser (Debian's Chromium through playwright-core), driven by the
 * demo SPA from `examples/spa` served on its own origin: sign-in, refresh through the HttpOnly
 * cookie, SSO into a second app, logout — and the page security headers as the browser sees them.
 */
/** Visible text of the first match, once it is there. */
async function text(locator: Locator): Promise<string | null> {
  await locator.first().waitFor();
  return (await locator.first().textContent())?.trim() ?? null;
}

describe('browser journey (Chromium)', () => {
  let fx: OAuthFixture;
  let spa: { origin: string; close(): Promise<void> };
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const requestedHosts = new Set<string>();

  beforeAll(async () => {
    fx = await startOAuthFixture();
    spa = await startRegisteredSpa(fx, 'browser-spa', 'Browser SPA');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => requestedHosts.add(new URL(request.url()).host));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await spa?.close();
    await fx?.close();
  });

  /**
   * Leaves the SPA signed in, as the first test does: a test run on its own (or after signing out)
   * signs in through the hosted login page itself; one that finds the SPA signed in changes nothing.
   */
  async function ensureSignedIn(): Promise<void> {
    if (await page.getByText('Signed in as').isVisible()) return;
    await page.goto(`${spa.origin}/`);
    await page.getByText('Signed in as').or(page.getByText('Signed out')).first().waitFor();
    if (await page.getByText('Signed in as').isVisible()) return;
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Email').fill(fx.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
  }

  it('signs in through the hosted login page, whose headers forbid framing, every script but our passkey one (by nonce), and referrers', async () => {
    await page.goto(`${spa.origin}/`);
    await page.getByText('Signed out').waitFor();
    const loginResponse = page.waitForResponse((r) => r.url().includes('/tenants/acme/login?'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const login = await loginResponse;
    const headers = login.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9_-]{22}';/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(await text(page.locator('h1'))).toBe('Sign in to Browser SPA');

    await page.getByLabel('Email').fill(fx.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await text(page.getByRole('alert'))).toBe('Incorrect email or password.');
    expect(page.url()).toContain('/tenants/acme/login?interaction=');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    expect(await text(page.locator('#email'))).toBe(fx.email);
    expect(await text(page.locator('#sub'))).toBe(fx.userId);
  });

  it('keeps the refresh token in an HttpOnly, Secure, path-scoped cookie the page cannot read, and refreshes with it', async () => {
    await ensureSignedIn();
    const cookies = await browser.context.cookies(fx.api.baseUrl + '/tenants/acme/oauth2/token');
    const refresh = cookies.find((c) => c.name === '__Secure-lanyard_rt.browser-spa')!;
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/tenants/acme/oauth2' });
    expect(await page.evaluate('document.cookie')).not.toContain(refresh.value);
    const tokenResponse = page.waitForResponse((r) => r.url().endsWith('/oauth2/token') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Refresh access token' }).click();
    expect((await tokenResponse).status()).toBe(200);
    const rotated = (await browser.context.cookies(fx.api.baseUrl + '/tenants/acme/oauth2/token')).find((c) => c.name === refresh.name)!;
    expect(rotated.value).not.toBe(refresh.value);
    // A reload loses the in-memory access token; the cookie signs the app back in.
    await page.reload();
    await page.getByText('Signed in as').waitFor();
  });

  it('signs a second app in without a password (SSO session at the issuer)', async () => {
    await ensureSignedIn();
    // The second app opens in its own tab; its host does not exist here, so catch the browser's
    // request to it instead of loading it.
    const secondApp = await browser.context.newPage();
    const landed = secondApp.waitForRequest((r) => r.url().startsWith('https://web.acme.example/callback'));
    await secondApp.goto(authorizeUrl(fx, { client_id: 'acme-web', redirect_uri: 'https://web.acme.example/callback' })).catch(() => undefined);
    const callback = new URL((await landed).url());
    await secondApp.close();
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(fx.issuer);
  });

  it('signs out through RP-initiated logout and ends the SSO session', async () => {
    await ensureSignedIn();
    await page.goto(`${spa.origin}/`);
    await page.getByText('Signed in as').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out').waitFor();
    const cookies = await browser.context.cookies(fx.api.baseUrl + '/tenants/acme/oauth2/token');
    expect(cookies.find((c) => c.name === '__Secure-lanyard_session')).toBeUndefined();
    expect(cookies.find((c) => c.name === '__Secure-lanyard_rt.browser-spa')).toBeUndefined();
    await page.goto(authorizeUrl(fx, { client_id: 'acme-web', redirect_uri: 'https://web.acme.example/callback' }));
    expect(await text(page.locator('h1'))).toBe('Sign in to Acme Web');
  });

  it('loaded nothing from third parties', async () => {
    // Run on its own, the journey it looks at is a sign-in: the SPA, the hosted login page, the token endpoint.
    await ensureSignedIn();
    expect(requestedHosts).toContain(new URL(fx.api.baseUrl).host);
    expect(requestedHosts).toContain(new URL(spa.origin).host);
    const own = new Set([new URL(fx.api.baseUrl).host, new URL(spa.origin).host, 'web.acme.example']);
    expect([...requestedHosts].filter((h) => !own.has(h))).toEqual([]);
  });
});
