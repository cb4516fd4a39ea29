import type { AppContext } from '../context.js';
import { withBootstrapLock } from './ensure-system-tenant.js';

export const DEMO_TENANT = 'demo';
export const DEMO_CLIENT_ID = 'demo-spa';
export const DEMO_USER_EMAIL = 'demo@lanyard.local';
/** Development only (SEED_DEMO); never enabled by the Helm chart. */
export const DEMO_USER_PASSWORD = 'demo-password-change-me';

/**
 * Development convenience: a `demo` tenant with a public SPA client and a user, so a newcomer can
 * log in right after `npm run up`. Idempotent; never overwrites a user that already exists.
 */
export async function seedDemo(ctx: Pick<AppContext, 'config' | 'database' | 'tenants' | 'clients' | 'users'>): Promise<{ issuer: string; clientId: string; email: string; password: string | null }> {
  const { PUBLIC_URL } = ctx.config;
  const created = await withBootstrapLock(ctx, async () => {
    // Sign-up is open on the demo tenant, so the account pages can be tried at once (emails go to the dev mailbox).
    const { tenant } = await ctx.tenants.upsert(DEMO_TENANT, { displayName: 'Demo', managedBy: 'lanyard-seed', accounts: { signup: 'open' } });
    await ctx.clients.upsert(tenant, DEMO_CLIENT_ID, {
      type: 'public',
      displayName: 'Demo single-page app',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [`${PUBLIC_URL}/examples/spa/callback`, 'http://localhost:5173/callback', 'http://127.0.0.1:5173/callback'],
      postLogoutRedirectUris: [`${PUBLIC_URL}/examples/spa/`, 'http://localhost:5173/', 'http://127.0.0.1:5173/'],
      allowedCorsOrigins: [PUBLIC_URL, 'http://localhost:5173', 'http://127.0.0.1:5173'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      audience: [],
      firstParty: true,
    });
    if ((await ctx.users.findByEmail(tenant.id, DEMO_USER_EMAIL)) !== undefined) return false;
    await ctx.users.create(tenant, { email: DEMO_USER_EMAIL, password: DEMO_USER_PASSWORD, emailVerified: true, name: 'Demo User' });
    return true;
  });
  return {
    issuer: ctx.tenants.issuer(DEMO_TENANT),
    clientId: DEMO_CLIENT_ID,
    email: DEMO_USER_EMAIL,
    password: created ? DEMO_USER_PASSWORD : null,
  };
}
