import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { PASSWORD, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';
import { startRegisteredSpa } from '../support/static-spa-server.js';
import { declareCorpProvider, startLanyardUpstream } from '../support/lanyard-upstream.js';

/**
 * The demo SPA signs in through an upstream provider in Chromium: its sign-in → our login page's
 * "Sign in with Corp" → the upstream's own login (a second Lanyard tenant) → back through our
 * callback → the SPA signed in as the local user the rule created.
 */
describe('federation journey (Chromium)', () => {
  let fx: OAuthFixture;
  let spa: { origin: string; close(): Promise<void> };
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pages: Response[] = [];

  beforeAll(async () => {
    fx = await startOAuthFixture();
    await declareCorpProvider(fx, await startLanyardUpstream(fx), 'just-in-time');
    await fx.admin.post('/tenants/corp/users', { email: 'dana@corp.example', password: PASSWORD, emailVerified: true, name: 'Dana' });
    spa = await startRegisteredSpa(fx, 'federated-spa', 'Federated SPA');
    browser = await launchBrowser();
    browser.context.on('response', (response) => {
      if ((response.headers()['content-type'] ?? '').startsWith('text/html') && response.url().startsWith(`${fx.api.baseUrl}/tenants/`)) pages.push(response);
    });
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await spa?.close();
    await fx?.close();
  });

  it('upstream button → upstream login → back → the SPA is signed in as the new local user', async () => {
    await page.goto(`${spa.origin}/`);
    await page.getByText('Signed out').waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in with Corp' }).click();
    await page.waitForURL((url) => url.pathname === '/tenants/corp/login', { timeout: 10_000 }).catch(async (error: unknown) => {
      throw new Error(`at ${page.url()}: ${(await page.content()).slice(0, 2000)}`, { cause: error });
    });
    await page.getByLabel('Email').fill('dana@corp.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      throw new Error(`at ${page.url()}: ${(await page.content()).slice(0, 2000)}`, { cause: error });
    });
    expect(await page.locator('#email').textContent()).toBe('dana@corp.example');
    const local = (await fx.admin.get('/tenants/acme/users?email=dana%40corp.example')).json().items;
    expect(local).toHaveLength(1);
    expect(await page.locator('#sub').textContent()).toBe(local[0].id);
    // The transaction cookie was used up on the way back.
    const cookies = await browser.context.cookies(`${fx.issuer}/federation/corp/callback`);
    expect(cookies.find((c) => c.name === '__Secure-lanyard_federation')).toBeUndefined();
    for (const response of pages) expect(response.headers()['content-security-policy'], response.url()).toMatch(/frame-ancestors 'none'/);
  });
});
