import * as oidc from 'openid-client';
import type { Clock } from '@lanyard/clock';
import type { IdentityProvider } from '@lanyard/db';

/** Seconds any request to an upstream may take: an unreachable one gives an error page, not a hang. */
export const UPSTREAM_TIMEOUT_SECONDS = 5;
/** How long discovery metadata is reused; the JWKS is re-fetched by openid-client on an unknown `kid`. */
const METADATA_TTL_MS = 10 * 60_000;

const isLoopbackHttp = (issuer: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(\/|$)/.test(issuer);

/**
 * The relying-party side of an upstream provider, through openid-client v6 (never hand-rolled):
 * discovery per provider (cached, keyed by what the configuration depends on), authorization
 * code + PKCE, and the checks of the callback (state, RFC 9207 `iss` where advertised, error
 * responses, and the ID token's signature (JWKS fetched, and re-fetched on an unknown `kid` at most
 * once a minute), issuer, audience, expiry and nonce).
 */
export class UpstreamClients {
  readonly #cache = new Map<string, { config: Promise<oidc.Configuration>; at: number }>();

  constructor(private readonly clock: Clock) {}

  configuration(provider: IdentityProvider, clientSecret: string | undefined): Promise<oidc.Configuration> {
    const key = `${provider.id}|${provider.issuer}|${provider.clientId}|${provider.clientSecretFingerprint ?? ''}`;
    const now = this.clock().getTime();
    const cached = this.#cache.get(key);
    if (cached !== undefined && now - cached.at < METADATA_TTL_MS) return cached.config;
    const config = oidc.discovery(new URL(provider.issuer), provider.clientId, clientSecret, clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret), {
      timeout: UPSTREAM_TIMEOUT_SECONDS,
      execute: [
        // The ID token's signature is checked against the upstream's JWKS, although OIDC Core
        // §3.1.3.7 lets a client rely on TLS for a token it fetched itself: what we link and sign
        // in must be what the upstream signed, whatever sits between us (a proxy, a DNS mistake).
        oidc.enableNonRepudiationChecks,
        // Loopback http only (a provider on this machine, as in development); every other issuer is https.
        ...(isLoopbackHttp(provider.issuer) ? [oidc.allowInsecureRequests] : []),
      ],
    });
    // A failed discovery is not cached: the next sign-in tries again.
    config.catch(() => this.#cache.delete(key));
    this.#cache.set(key, { config, at: now });
    if (this.#cache.size > 1_000) this.#cache.delete(this.#cache.keys().next().value!);
    return config;
  }
}
