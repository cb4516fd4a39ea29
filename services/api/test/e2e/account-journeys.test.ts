import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import { discover, signInThroughPages, startAuthorization, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';
import { startRegisteredSpa } from '../support/static-spa-server.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * The self-service pages in Chromium, with the real worker delivering mail to a real SMTP server:
 * sign-up with verification from an app, password reset, and the account page. Every hosted page
 * the browser loads is checked for the page security headers, and the console for CSP violations.
 */
describe('account journeys (Chromium)', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  let spa: { origin: string; close(): Promise<void> };
  const browsers: Array<{ context: BrowserContext; close(): Promise<void> }> = [];
  const pages: Response[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    fx = await startOAuthFixture();
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup: 'open' } });
    spa = await startRegisteredSpa(fx, 'journey-spa', 'Journey SPA');
    mail = await startMailPipeline(fx.api);
  }, 120_000);
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await mail?.close();
    await spa?.close();
    await fx?.close();
  });

  /** A page in a browser of its own (fresh profile: no cookies from another journey). */
  async function newPage(): Promise<Page> {
    const browser = await launchBrowser();
    browsers.push(browser);
    browser.context.on('response', (response) => {
      if (response.url().startsWith(`${fx.issuer}/`) && (response.headers()['content-type'] ?? '').startsWith('text/html')) pages.push(response);
    });
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  it('signs up from an app, confirms the address from the email, and lands signed in to the app', async () => {
    const page = await newPage();
    await page.goto(`${spa.origin}/`);
    await page.getByText('Signed out').waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill('ivy@acme.example');
    await page.getByLabel('Name').fill('Ivy');
    await page.getByLabel('Password').fill('ivy grows on old walls');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const link = mail.linkIn(await mail.waitForMail('ivy@acme.example', /Confirm your e-mail address/), `${fx.issuer}/email/verify?token=`);
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your email address is verified');
    expect(await page.getByLabel('Email').inputValue()).toBe('ivy@acme.example');
    await page.getByLabel('Password').fill('ivy grows on old walls');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('#email').textContent()).toBe('ivy@acme.example');
    await page.close();
  });

  it('resets a forgotten password from the sign-in page and signs in with the new one', async () => {
    const page = await newPage();
    await page.goto(`${spa.origin}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(fx.email);
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const link = mail.linkIn(await mail.waitForMail(fx.email, /Reset your Acme password/), `${fx.issuer}/password/reset?token=`);
    await page.goto(link);
    await page.getByLabel('New password').fill('short');
    // The browser itself refuses what the page says is too short (minlength), before any request.
    await page.getByRole('button', { name: 'Set new password' }).click();
    expect(page.url()).toBe(link);
    await page.getByLabel('New password').fill('a brand new reset passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your password was changed');
    await page.getByLabel('Password').fill('a brand new reset passphrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    await page.close();
  });

  it('on the account page: changes the password, signs out another session, revokes an app', async () => {
    const email = 'jack@acme.example';
    await fx.admin.post('/tenants/acme/users', { email, password: 'jack climbed the beanstalk', emailVerified: true, name: 'Jack' });
    // Another session (a second device) and a consent to a third-party app, made over HTTP.
    const phone = new UserAgent({ 'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36' });
    const loginUrl = `${fx.issuer}/account/login`;
    await phone.submitForm(loginUrl, await (await phone.request(loginUrl)).text(), { email, password: 'jack climbed the beanstalk' });
    const native = await discover(fx.issuer, 'acme-native');
    const start = await startAuthorization(native, 'http://127.0.0.1/callback', 'openid profile');
    await signInThroughPages(new UserAgent(), start.url, 'http://127.0.0.1/callback', email, 'jack climbed the beanstalk');

    const page = await newPage();
    await page.goto(`${fx.issuer}/account`);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill('jack climbed the beanstalk');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your Acme account' }).waitFor();

    await page.getByRole('button', { name: /^Sign out Chrome on Android/ }).click();
    expect(await page.getByRole('status').textContent()).toBe('That session was signed out.');
    expect((await phone.request(`${fx.issuer}/account`)).status).toBe(303);

    await page.getByRole('button', { name: 'Revoke access of Acme Desktop' }).click();
    expect(await page.getByRole('status').textContent()).toBe('The app no longer has access to your account.');
    await page.getByText('No app has access to your account.').waitFor();

    await page.getByLabel('Current password', { exact: true }).first().fill('jack climbed the beanstalk');
    await page.getByLabel('New password').fill('jack came down again safely');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your password was changed.');
    await mail.waitForMail(email, /password was changed/);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    await page.close();
  });

  it('every hosted page the browser loaded carried the page security headers, and no CSP violation was reported', async () => {
    // Run on its own, it looks at the pages of one visit: the sign-up form and the account sign-in.
    if (pages.length === 0) {
      const page = await newPage();
      await page.goto(`${fx.issuer}/signup`);
      await page.goto(`${fx.issuer}/account`);
      await page.close();
    }
    expect(pages.length).toBeGreaterThan(0);
    for (const response of pages) {
      const headers = response.headers();
      expect(headers['content-security-policy'], response.url()).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(headers['x-frame-options'], response.url()).toBe('DENY');
      expect(headers['referrer-policy'], response.url()).toBe('no-referrer');
      expect(headers['cache-control'], response.url()).toBe('no-store');
    }
    expect(cspViolations).toEqual([]);
  });
});
