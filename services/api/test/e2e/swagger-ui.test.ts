import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/**
 * /docs renders in a real browser under its strict CSP (review finding 5): Swagger UI loads only
 * same-origin files, nothing is refused by the policy, and the page cannot be framed.
 */
describe('Swagger UI at /docs in Chromium', () => {
  let api: TestApi;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    api = await startTestApi({ listen: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders the admin API document with no CSP violation and no third-party request', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(api.baseUrl) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    await page.goto(`${api.baseUrl}/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Lanyard admin API' }).waitFor({ timeout: 20_000 });
    await page.locator('.opblock-tag', { hasText: 'tenants' }).first().waitFor();
    expect(violations).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('cannot be framed by another page', async () => {
    const page = await browser.context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors|Refused to (display|frame)/i.test(message.text())) blocked.push(message.text());
    });
    await page.setContent(`<iframe src="${api.baseUrl}/docs/" id="f"></iframe>`);
    await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });
});
