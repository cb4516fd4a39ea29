import { afterAll, beforeAll } from 'vitest';
import type { TenantAccounts } from '@lanyard/contracts';
import { startMailPipeline, type MailPipeline } from './mail-pipeline.js';
import { startOAuthFixture, type OAuthFixture } from './oauth-fixture.js';

/**
 * The OAuth fixture plus the real email path (worker process and SMTP server), for the account
 * tests of a file: started before its tests, stopped after them. `ready` receives both.
 */
export function useAccountsFixture(options: { env?: Record<string, string>; accounts?: TenantAccounts }, ready: (fx: OAuthFixture, mail: MailPipeline) => void): void {
  let fx: OAuthFixture | undefined;
  let mail: MailPipeline | undefined;
  beforeAll(async () => {
    fx = await startOAuthFixture(options.env);
    if (options.accounts !== undefined) await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: options.accounts });
    mail = await startMailPipeline(fx.api);
    ready(fx, mail);
  }, 120_000);
  afterAll(async () => {
    await mail?.close();
    await fx?.close();
  });
}
