import * as oidc from 'openid-client';
import { expect } from 'vitest';
import { discover, startAuthorization, type AuthorizationStart, type OAuthFixture } from './oauth-fixture.js';
import type { UserAgent } from './user-agent.js';

/** The redirect URI of acme's confidential `acme-web` client, the app every federated sign-in returns to. */
export const WEB_REDIRECT = 'https://web.acme.example/callback';

export interface UpstreamPage {
  readonly config: oidc.Configuration;
  readonly start: AuthorizationStart;
  /** Where the upstream's button led, after its redirects: usually the upstream's login page. */
  readonly upstream: { readonly url: string; readonly html: string; readonly status: number };
}

/**
 * Our app's authorization request (with `extra` parameters such as `max_age`) → acme's login page →
 * its "Sign in with {label}" button → wherever that leads.
 */
export async function followUpstreamButton(fx: OAuthFixture, agent: UserAgent, label: string, stopAt?: string, extra: Record<string, string> = {}): Promise<UpstreamPage> {
  const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
  const start = await startAuthorization(config, WEB_REDIRECT, 'openid email', extra);
  const login = await agent.navigate(start.url.toString(), {}, WEB_REDIRECT);
  const html = await login.response.text();
  const href = new RegExp(`<a class="button secondary" href="([^"]+)">Sign in with ${label}</a>`).exec(html)?.[1];
  expect(href, html).toBeDefined();
  const upstream = await agent.navigate(new URL(href!.replace(/&amp;/g, '&'), login.url).toString(), {}, stopAt ?? WEB_REDIRECT);
  return { config, start, upstream: { url: upstream.url, html: await upstream.response.text(), status: upstream.response.status } };
}

/** The callback's last hop to the app is a page that moves on by itself (`<meta http-equiv="refresh">`). */
export async function followRefresh(step: { response: Response; url: string }): Promise<{ response: Response; url: string }> {
  if (step.response.status !== 200) return step;
  const target = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(await step.response.clone().text())?.[1];
  return target === undefined ? step : { response: step.response, url: target.replace(/&amp;/g, '&') };
}

/** Redeems the code the app received, as the app would: tokens from our issuer, checked by openid-client. */
export function redeemAtApp(page: Pick<UpstreamPage, 'config' | 'start'>, appUrl: string): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  return oidc.authorizationCodeGrant(page.config, new URL(appUrl), { pkceCodeVerifier: page.start.verifier, expectedState: page.start.state, expectedNonce: page.start.nonce, idTokenExpected: true });
}

/** Rows a refused sign-in must not have written: users, upstream links, sessions. */
export async function federationFootprint(fx: OAuthFixture): Promise<{ users: number; links: number; sessions: number }> {
  const { rows } = await fx.api.database.query<{ users: string; links: string; sessions: string }>(
    'select (select count(*) from users) as users, (select count(*) from upstream_identities) as links, (select count(*) from sessions) as sessions',
  );
  return { users: Number(rows[0]!.users), links: Number(rows[0]!.links), sessions: Number(rows[0]!.sessions) };
}

/** `identity_auth_events_total{tenant="acme",event="federation",result="failure"}` by reason, from /metrics. */
export async function federationFailureCounts(fx: OAuthFixture): Promise<Record<string, number>> {
  const body = (await fx.api.metricsApp.inject({ method: 'GET', url: '/metrics' })).body;
  const counts: Record<string, number> = {};
  for (const m of body.matchAll(/^identity_auth_events_total\{tenant="acme",event="federation",result="failure",reason="([a-z_]+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

/** A refusal left its trace: the newest federation audit event has `reason`, and its counter rose by one since `before`. */
export async function expectRefusalRecorded(fx: OAuthFixture, reason: string, before: Record<string, number>): Promise<void> {
  await fx.api.ctx.audit.flush();
  const audited = await fx.api.database.query<{ reason: string }>("select reason from audit_events where event = 'federation' and result = 'failure' order by created_at desc, id desc limit 1");
  expect(audited.rows[0]?.reason).toBe(reason);
  expect((await federationFailureCounts(fx))[reason]).toBe((before[reason] ?? 0) + 1);
}

/** The tenant's local users with this email, through the admin API. */
export async function localUsers(fx: OAuthFixture, email: string): Promise<Array<{ id: string; email: string; emailVerified: boolean; name?: string }>> {
  return (await fx.admin.get(`/tenants/acme/users?email=${encodeURIComponent(email)}`)).json().items;
}
