import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * Cookie names and attributes. All are `Secure` + `HttpOnly`, and scoped by path to one issuer
 * (`/tenants/{tenant}`), so tenants on one host never see each other's cookies. The `__Secure-`
 * prefix makes browsers refuse them over plain HTTP or without `Secure` (RFC 6265bis §4.1.3.1);
 * `__Host-` would force `Path=/`, which would share them across tenants.
 */
export const SESSION_COOKIE = '__Secure-lanyard_session';
export const BROWSER_BINDING_COOKIE = '__Secure-lanyard_binding';
/** A random id of this browser at this issuer, so a sign-in from a browser never seen before can be told apart. */
export const DEVICE_COOKIE = '__Secure-lanyard_device';
/** A sign-in waiting for its second factor (see pending-sign-in.ts); ten minutes at most. */
export const PENDING_SIGN_IN_COOKIE = '__Secure-lanyard_pending';
/** A sign-in through an upstream provider in progress (federation-transactions.ts). */
export const FEDERATION_COOKIE = '__Secure-lanyard_federation';
export const refreshCookieName = (clientId: string) => `__Secure-lanyard_rt.${clientId}`;

const base = { httpOnly: true, secure: true } as const;

/** SSO session: Lax, so the top-level navigation from an app to /authorize carries it. */
export const sessionCookieOptions = (tenant: string, maxAgeSeconds: number): CookieSerializeOptions => ({
  ...base,
  sameSite: 'lax',
  path: `/tenants/${tenant}`,
  maxAge: maxAgeSeconds,
});

/** Binds an interaction to the browser that started it; lives as long as the browser session. */
export const bindingCookieOptions = (tenant: string): CookieSerializeOptions => ({ ...base, sameSite: 'lax', path: `/tenants/${tenant}` });

/** The device id lives as long as browsers allow (400 days, RFC 6265bis §5.6.2) and renews on each sign-in. */
export const deviceCookieOptions = (tenant: string): CookieSerializeOptions => ({ ...base, sameSite: 'lax', path: `/tenants/${tenant}`, maxAge: 400 * 86_400 });

/**
 * Lax, not Strict: a step-up starts with the app's cross-site navigation to /authorize, and a
 * Strict cookie set there is not sent to the second-factor page its redirect leads to.
 */
export const pendingSignInCookieOptions = (tenant: string): CookieSerializeOptions => ({ ...base, sameSite: 'lax', path: `/tenants/${tenant}`, maxAge: 600 });

/** Lax, because the upstream's redirect back to the callback is a cross-site navigation. */
export const federationCookieOptions = (tenant: string): CookieSerializeOptions => ({ ...base, sameSite: 'lax', path: `/tenants/${tenant}/federation`, maxAge: 600 });

/**
 * Refresh token for browser clients: only ever sent to `{issuer}/oauth2/*` (token, revoke, logout),
 * never readable by JavaScript. `Strict` when the app is served from the issuer's host; a
 * cross-site app needs `None`, and is then protected by the Origin allow-list and the CSRF header
 * the token endpoint requires.
 */
export const refreshCookieOptions = (tenant: string, maxAgeSeconds: number, sameSite: 'strict' | 'none'): CookieSerializeOptions => ({
  ...base,
  sameSite,
  path: `/tenants/${tenant}/oauth2`,
  maxAge: maxAgeSeconds,
});

export const expiredCookie = (options: CookieSerializeOptions): CookieSerializeOptions => ({ ...options, maxAge: 0, expires: new Date(0) });
