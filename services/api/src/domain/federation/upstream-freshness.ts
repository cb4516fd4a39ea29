/**
 * How recent the upstream's authentication must be for a federated sign-in (OIDC Core §3.1.2.1),
 * so that our own freshness rules mean something for people who sign in elsewhere: an upstream
 * single sign-on session would otherwise turn "sign in again" into one click, and our `auth_time`
 * into the moment of that click.
 */
export interface FreshnessDemand {
  /** `prompt=login` upstream: it must authenticate the person again. */
  readonly prompt?: 'login';
  /** `max_age` upstream, in seconds. */
  readonly maxAge?: number;
}

/** Leeway for the upstream's clock against ours when comparing its `auth_time`. */
const CLOCK_SKEW_MS = 60_000;

/**
 * What to ask of the upstream:
 * - for an app's authorization request, what the app asked of us: its `prompt=login` and its
 *   `max_age`, passed on (as Keycloak's "pass max_age" does);
 * - for the account page's own sign-in (no app request), `max_age` of the account page's
 *   recent-sign-in window, since its sensitive changes rest on that sign-in.
 */
export function freshnessDemand(appRequest: { readonly prompt: readonly string[]; readonly maxAge: number | null } | undefined, accountPageMaxAge: number): FreshnessDemand {
  if (appRequest === undefined) return { maxAge: accountPageMaxAge };
  return { ...(appRequest.prompt.includes('login') ? { prompt: 'login' as const } : {}), ...(appRequest.maxAge === null ? {} : { maxAge: appRequest.maxAge }) };
}

/**
 * When the person last authenticated, as our session's `auth_time`: the ID token's `auth_time`
 * where the upstream states one (never later than now), else now (an upstream that does not say
 * is taken at its word). `undefined` when it states an authentication older than demanded: it
 * ignored `prompt=login` or `max_age`. An authentication after `startedAtMs`, when we sent the
 * browser to the upstream, is always recent enough.
 */
export function upstreamAuthTime(authTimeClaim: unknown, demand: FreshnessDemand, startedAtMs: number, nowMs: number): Date | undefined {
  if (typeof authTimeClaim !== 'number' || !Number.isFinite(authTimeClaim)) return new Date(nowMs);
  const at = Math.min(authTimeClaim * 1000, nowMs);
  const demandedSince = demand.prompt === 'login' ? startedAtMs : demand.maxAge !== undefined ? Math.min(startedAtMs, nowMs - demand.maxAge * 1000) : -Infinity;
  return at < demandedSince - CLOCK_SKEW_MS ? undefined : new Date(at);
}
